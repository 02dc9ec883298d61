import Containers
import Foundation
import MetaDB
import Testing

@testable import OMSDeployment

@Suite("the new container's spec")
struct NewContainerSpecTests {
    static let config = OMSConfig(
        path: "/data/config.yaml", metaHost: "10.0.0.5", metaPort: 2881, metaUser: "root@oms",
        metaPassword: Secret("pw"),
        databases: MetaDatabases(rm: "rm", cm: "cm", cmHeartbeat: "hb"), cmURL: "http://10.0.0.7:8088", cmLocation: 0
    )
    static let configMount = Mount(source: "/data/config.yaml", destination: "/home/admin/conf/config.yaml")
    static let dataMounts = [
        Mount(source: "/data/oms/oms_logs", destination: "/home/admin/logs"),
        Mount(source: "/data/oms/oms_store", destination: "/home/ds/store"),
        Mount(source: "/data/oms/oms_run", destination: "/home/ds/run"),
    ]

    /// An old container set up the way this sandbox runs it: unprivileged, guide flags otherwise.
    static func oldContainer(
        env: [EnvVar]? = nil, extraMounts: [Mount] = [], privileged: Bool = false,
        ulimits: [Ulimit] = [Ulimit(name: "nproc", soft: 65535, hard: 65535)],
        labels: [String: String] = [:], restart: RestartPolicy = .no, pidsLimit: Int? = nil
    ) -> ContainerDetails {
        ContainerDetails(
            id: "abc", name: "oms_322", image: "oms:feature_3.2.2_ce", imageID: "sha256:old",
            mounts: [configMount] + dataMounts + extraMounts,
            env: env ?? [
                EnvVar(name: "OMS_HOST_IP", value: "10.0.0.5"), EnvVar(name: "PATH", value: "/usr/bin"),
                EnvVar(name: "JAVA_HOME", value: "/opt/jdk8"),
            ],
            networkMode: "host", privileged: privileged, pidsLimit: pidsLimit, ulimits: ulimits,
            restartPolicy: restart, labels: labels, tty: true, openStdin: true
        )
    }

    static func deployment(_ container: ContainerDetails, image: ImageDetails? = nil, ssl: Deployment.SSLMounts? = nil)
        -> Deployment
    {
        Deployment(
            container: container, configPath: "/data/config.yaml", configMount: configMount,
            dataMounts: container.mounts.filter { m in dataMounts.contains { $0.destination == m.destination } },
            sslMounts: ssl, config: config, version: OMSVersion(3, 2, 2), image: image)
    }

    @Test("the guide's run, unprivileged as the old one: identical mounts, OMS_HOST_IP, name from the tag")
    func guideShape() throws {
        let plan = try NewContainerSpec.build(
            for: Self.deployment(Self.oldContainer()),
            options: NewContainerOptions(image: "oms:feature_3.3.0_ce"))
        #expect(plan.spec.name == "oms_330")
        #expect(plan.renameOldTo == nil)
        #expect(plan.targetVersion == OMSVersion(3, 3, 0))
        #expect(plan.spec.mounts == [Self.configMount] + Self.dataMounts)
        #expect(plan.spec.env == [EnvVar(name: "OMS_HOST_IP", value: "10.0.0.5")])
        #expect(
            plan.spec.dockerArguments() == [
                "run", "-dit", "--net", "host",
                "-v", "/data/config.yaml:/home/admin/conf/config.yaml",
                "-v", "/data/oms/oms_logs:/home/admin/logs",
                "-v", "/data/oms/oms_store:/home/ds/store",
                "-v", "/data/oms/oms_run:/home/ds/run",
                "-e", "OMS_HOST_IP=10.0.0.5",
                "--pids-limit", "-1",
                "--ulimit", "nproc=65535:65535",
                "--name", "oms_330", "oms:feature_3.3.0_ce",
            ])
        #expect(
            plan.differences.contains(
                "--privileged=true omitted: the old container runs unprivileged and the new one inherits that."))
        #expect(plan.differences.contains { $0.contains("No SSL pair") })
        // PATH and JAVA_HOME are image defaults: not copied, and said so.
        #expect(plan.differences.contains { $0.contains("PATH, JAVA_HOME not copied") })
        #expect(try plan.consoleURL(port: 8089).absoluteString == "http://10.0.0.5:8089")
    }

    @Test("a privileged old container with other settings: all inherited and listed")
    func inherited() throws {
        let old = Self.oldContainer(
            env: [
                EnvVar(name: "OMS_HOST_IP", value: "10.0.0.5"), EnvVar(name: "TZ", value: "Asia/Shanghai"),
                EnvVar(name: "OMS_EXTRA_PASSWORD", value: "do-not-print"), EnvVar(name: "PATH", value: "/bin"),
            ],
            extraMounts: [
                Mount(source: "/etc/localtime", destination: "/etc/localtime", readOnly: true),
                Mount(
                    source: "/var/lib/docker/volumes/\(String(repeating: "ab", count: 32))/_data", destination: "/anon",
                    type: .volume, volumeName: String(repeating: "ab", count: 32)),
            ],
            privileged: true,
            ulimits: [Ulimit(name: "nproc", soft: 4096, hard: 8192), Ulimit(name: "nofile", soft: 65536, hard: 65536)],
            labels: ["owner": "dba", "org.example.from-image": "yes", "com.docker.compose.project": "oms"],
            restart: RestartPolicy(name: "always"), pidsLimit: 10000
        )
        let image = ImageDetails(
            id: "sha256:old", env: [EnvVar(name: "PATH", value: "/bin")], labels: ["org.example.from-image": "yes"])
        let plan = try NewContainerSpec.build(
            for: Self.deployment(old, image: image),
            options: NewContainerOptions(image: "oms:feature_3.3.0_ce", name: "oms_new"))
        let spec = plan.spec
        #expect(spec.privileged)
        #expect(spec.pidsLimit == 10000)
        #expect(spec.ulimits == old.ulimits)
        #expect(spec.restartPolicy == RestartPolicy(name: "always"))
        #expect(spec.labels == ["owner": "dba"])
        #expect(spec.env.map(\.name) == ["OMS_HOST_IP", "TZ", "OMS_EXTRA_PASSWORD"])
        #expect(spec.mounts.map(\.destination).last == "/etc/localtime")
        #expect(!spec.mounts.contains { $0.destination == "/anon" })
        #expect(!plan.differences.contains { $0.contains("privileged") })
        #expect(plan.differences.contains { $0.hasPrefix("--pids-limit 10000 instead of -1") })
        #expect(plan.differences.contains { $0.hasPrefix("--ulimit nproc=4096:8192 instead of nproc=65535:65535") })
        #expect(plan.differences.contains { $0.hasPrefix("--ulimit nofile=65536:65536 added") })
        #expect(plan.differences.contains { $0.hasPrefix("--restart always added") })
        #expect(plan.differences.contains { $0.hasPrefix("--label owner=dba added") })
        #expect(plan.differences.contains { $0.hasPrefix("-e TZ=Asia/Shanghai added") })
        #expect(plan.differences.contains { $0.hasPrefix("-v /etc/localtime:/etc/localtime:ro added") })
        #expect(plan.differences.contains { $0.contains("anonymous volume at /anon") })
        #expect(!plan.differences.joined().contains("do-not-print"))
        #expect(!spec.shellCommand().contains("do-not-print"))
        #expect(!plan.differences.contains { $0.contains("not copied") })  // image env was known
    }

    @Test("same name as the old container: the old one is renamed aside, never removed")
    func sameName() throws {
        let plan = try NewContainerSpec.build(
            for: Self.deployment(Self.oldContainer()),
            options: NewContainerOptions(image: "oms:feature_3.3.0_ce", name: "oms_322"))
        #expect(plan.spec.name == "oms_322")
        #expect(plan.renameOldTo == "oms_322_pre_3.3.0")
    }

    @Test("SSL pair: inherited, or from the options; the console turns https")
    func sslPair() throws {
        let inherited = Deployment.SSLMounts(
            certificate: Mount(source: "/data/oms/https_crt", destination: "/etc/pki/nginx/oms_server.crt"),
            key: Mount(source: "/data/oms/https_key", destination: "/etc/pki/nginx/oms_server.key"))
        let old = Self.oldContainer(extraMounts: [inherited.certificate, inherited.key])
        let plan = try NewContainerSpec.build(
            for: Self.deployment(old, ssl: inherited),
            options: NewContainerOptions(image: "oms:feature_3.3.0_ce"))
        #expect(plan.spec.mounts.suffix(2) == [inherited.certificate, inherited.key])
        #expect(plan.spec.mounts.count == 6)
        #expect(!plan.differences.contains { $0.contains("SSL") })
        #expect(try plan.consoleURL(port: 8089).absoluteString == "https://10.0.0.5:8089")

        let given = try NewContainerSpec.build(
            for: Self.deployment(old, ssl: inherited),
            options: NewContainerOptions(
                image: "oms:feature_3.3.0_ce",
                sslPair: SSLPair(certificatePath: "/etc/new.crt", keyPath: "/etc/new.key")))
        #expect(
            given.spec.mounts.filter { $0.destination.hasPrefix("/etc/pki/nginx") }.map(\.source) == [
                "/etc/new.crt", "/etc/new.key",
            ])
        #expect(given.differences.contains { $0.contains("instead of the old container's") })

        #expect(throws: NewContainerSpecError.self) {
            try NewContainerSpec.build(
                for: Self.deployment(old),
                options: NewContainerOptions(
                    image: "oms:feature_3.3.0_ce", sslPair: SSLPair(certificatePath: "new.crt", keyPath: "/etc/new.key")
                ))
        }
    }

    @Test("OMS_HOST_IP from --host-ip, else the old env, else an error")
    func hostIP() throws {
        let plan = try NewContainerSpec.build(
            for: Self.deployment(Self.oldContainer()),
            options: NewContainerOptions(image: "oms:feature_3.3.0_ce", hostIP: "10.0.0.9"))
        #expect(plan.spec.env.first == EnvVar(name: "OMS_HOST_IP", value: "10.0.0.9"))
        #expect(plan.differences.contains { $0.contains("OMS_HOST_IP=10.0.0.9 from --host-ip") })

        let noIP = Self.oldContainer(env: [EnvVar(name: "PATH", value: "/bin")])
        let error = try #require(throws: NewContainerSpecError.self) {
            try NewContainerSpec.build(
                for: Self.deployment(noIP), options: NewContainerOptions(image: "oms:feature_3.3.0_ce"))
        }
        #expect(error.problem == .noHostIP)
        #expect(error.description.contains("--host-ip"))
    }

    @Test("route extras become env vars, marked unconfirmed")
    func routeEnv() throws {
        let route = try UpgradeRoutes.bundled().route(from: OMSVersion(3, 2, 2), to: OMSVersion(4, 0, 0))
        let plan = try NewContainerSpec.build(
            for: Self.deployment(Self.oldContainer()),
            options: NewContainerOptions(image: "oms:feature_4.0.0-ce_bp1", route: route))
        #expect(plan.spec.name == "oms_400")
        #expect(plan.spec.env.last == EnvVar(name: "IS_UPGRADE", value: "true"))
        #expect(plan.differences.contains { $0.hasPrefix("-e IS_UPGRADE=true added") && $0.contains("unconfirmed") })
    }

    @Test("names: derived, validated")
    func names() throws {
        #expect(throws: NewContainerSpecError.self) {
            try NewContainerSpec.build(
                for: Self.deployment(Self.oldContainer()), options: NewContainerOptions(image: "oms:latest"))
        }
        let plan = try NewContainerSpec.build(
            for: Self.deployment(Self.oldContainer()),
            options: NewContainerOptions(image: "oms:latest", targetVersion: OMSVersion(3, 3, 0)))
        #expect(plan.spec.name == "oms_330")
        let error = try #require(throws: NewContainerSpecError.self) {
            try NewContainerSpec.build(
                for: Self.deployment(Self.oldContainer()),
                options: NewContainerOptions(image: "oms:feature_3.3.0_ce", name: "bad name"))
        }
        #expect(error.problem == .invalidName("bad name"))
        #expect(NewContainerSpec.isValidContainerName("oms_330.new-1"))
        #expect(!NewContainerSpec.isValidContainerName("_oms"))
    }

    @Test("no nproc ulimit on the old container: omitted and listed")
    func noUlimit() throws {
        let plan = try NewContainerSpec.build(
            for: Self.deployment(Self.oldContainer(ulimits: [])),
            options: NewContainerOptions(image: "oms:feature_3.3.0_ce"))
        #expect(plan.spec.ulimits.isEmpty)
        #expect(plan.differences.contains { $0.hasPrefix("--ulimit nproc=65535:65535 omitted") })
    }
}
