import ArgumentParser
import MetaDump
import UpgradeEngine

/// The options that describe an upgrade, shared by `plan` and `apply`.
struct PlanOptionGroup: ParsableArguments {
    @Option(help: "The running OMS container to upgrade (name or id).")
    var container: String

    @Option(help: "The new OMS image, e.g. oms:feature_3.3.0_ce (must be loaded locally).")
    var image: String

    @Option(help: "The new container's name (default: from the image tag, e.g. oms_330).")
    var name: String?

    @Option(help: "The host IP for OMS_HOST_IP (default: the old container's).")
    var hostIP: String?

    @Option(help: "An SSL certificate (PEM) to mount for an HTTPS console; needs --ssl-key.")
    var sslCert: String?

    @Option(help: "The SSL private key (PEM) matching --ssl-cert.")
    var sslKey: String?

    @Option(help: "Where runs, journals and backups go.")
    var workDir: String = WorkDirectory.defaultPath

    @Option(help: "The old version when the image tag does not say it, e.g. 3.2.2.")
    var fromVersion: String?

    @Option(help: "The new version when the image tag does not say it, e.g. 3.3.0.")
    var toVersion: String?

    @Option(help: "Seconds docker stop waits for the old container.")
    var stopTimeout: Int = 60

    @Option(help: "Seconds the metadata init script may run.")
    var initTimeout: Int = 1800

    @Option(help: "Seconds to wait for the new OMS to report healthy.")
    var healthTimeout: Int = 600

    func validate() throws {
        for (name, value, least) in [
            ("--stop-timeout", stopTimeout, 0), ("--init-timeout", initTimeout, 1),
            ("--health-timeout", healthTimeout, 1),
        ] where value < least {
            throw ValidationError("\(name) must be \(least) or more seconds, not \(value).")
        }
    }

    func planOptions(dumper: BackupDumper = .native) -> PlanOptions {
        PlanOptions(
            container: container, image: image, newName: name, hostIP: hostIP,
            sslCertificate: sslCert, sslKey: sslKey, workDir: workDir,
            fromVersion: fromVersion, toVersion: toVersion, stopTimeout: stopTimeout,
            initTimeout: initTimeout, healthTimeout: healthTimeout, dumper: dumper)
    }
}
