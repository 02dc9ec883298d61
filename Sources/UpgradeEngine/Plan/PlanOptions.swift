import Foundation
import MetaDump

/// What the operator asked for: the old container, the new image and how to run the upgrade.
public struct PlanOptions: Codable, Sendable, Equatable {
    /// The running OMS container to upgrade.
    public var container: String
    /// The new OMS image, e.g. `oms:feature_3.3.0_ce`.
    public var image: String
    /// The new container's name; derived from the image tag when nil.
    public var newName: String?
    /// The host IP for `OMS_HOST_IP`; taken from the old container when nil.
    public var hostIP: String?
    /// An SSL certificate and key to mount for an HTTPS console.
    public var sslCertificate: String?
    public var sslKey: String?
    /// Where runs, journals and backups go.
    public var workDir: String
    /// Overrides for the versions read from the image tags.
    public var fromVersion: String?
    public var toVersion: String?
    /// Seconds `docker stop` waits for the old container.
    public var stopTimeout: Int
    /// Seconds the metadata init script may run.
    public var initTimeout: Int
    /// Seconds to wait for the new OMS to report healthy.
    public var healthTimeout: Int
    /// The dumper that writes the run's backup (``BackupDumper``; `plan.json` keeps its raw value).
    public var dumper: BackupDumper

    public init(
        container: String, image: String, newName: String? = nil, hostIP: String? = nil,
        sslCertificate: String? = nil, sslKey: String? = nil,
        workDir: String = WorkDirectory.defaultPath, fromVersion: String? = nil, toVersion: String? = nil,
        stopTimeout: Int = 60, initTimeout: Int = 1800, healthTimeout: Int = 600, dumper: BackupDumper = .native
    ) {
        self.container = container
        self.image = image
        self.newName = newName
        self.hostIP = hostIP
        self.sslCertificate = sslCertificate
        self.sslKey = sslKey
        self.workDir = workDir
        self.fromVersion = fromVersion
        self.toVersion = toVersion
        self.stopTimeout = stopTimeout
        self.initTimeout = initTimeout
        self.healthTimeout = healthTimeout
        self.dumper = dumper
    }
}
