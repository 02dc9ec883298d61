import Containers
import Foundation
import Logging
import OMSDeployment
import SandboxSupport
import Testing

@testable import UpgradeEngine

/// `Planner` of one node against a fake engine (issue 10): the checks that need no metadata server, and
/// the report they make. The metadata server named in config.yaml is a closed local port, so its
/// check fails too wherever the engine's checks get that far; the ready path needs the sandbox
/// (`plan command` suite).
@Suite("Planner of one node against a fake engine")
struct PlannerTests {
    static let oldName = "oms_322"
    static let oldImage = "oms:feature_3.2.2_ce"
    static let newImage = "oms:feature_3.3.0_ce"

    /// A deployment's host side (config.yaml and the three data directories) and an engine that knows its container.
    struct Bed {
        let directory: URL
        var engine: FakeEngine
        let options: PlanOptions

        func build() async -> PlanReport {
            await Planner(engine: engine, logger: Logger(label: "test")).build(options)
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }
    }

    static func bed() throws -> Bed {
        let directory = try Sandbox.makePrivateTempDirectory()
        let config = directory.appending(path: "config.yaml")
        try Sandbox.writePrivateFile(
            config,
            contents: """
                oms_meta_host: 127.0.0.1
                oms_meta_port: \(Sandbox.freePort())
                oms_meta_user: oms_user
                oms_meta_password: not-a-real-one
                drc_rm_db: rm db
                drc_cm_db: cm`db
                drc_cm_heartbeat_db: cm_hb
                cm_url: http://127.0.0.1:8088
                cm_location: 0
                cm_nodes: ["127.0.0.1"]

                """)
        var mounts = [Mount(source: config.path, destination: OMSContainerPaths.config)]
        for (name, destination) in zip(["logs", "store", "run"], OMSContainerPaths.dataMounts) {
            let source = directory.appending(path: name)
            try FileManager.default.createDirectory(at: source, withIntermediateDirectories: false)
            mounts.append(Mount(source: source.path, destination: destination))
        }
        let old = ContainerDetails(
            id: String(repeating: "b", count: 64), name: oldName, image: oldImage, mounts: mounts,
            env: [EnvVar(name: "OMS_HOST_IP", value: "127.0.0.1")], tty: true, openStdin: true)
        let workDir = directory.appending(path: "work")
        return Bed(
            directory: directory,
            engine: FakeEngine(containers: [oldName: old], images: [oldImage, newImage]),
            options: PlanOptions(container: oldName, image: newImage, workDir: workDir.path))
    }

    @Test("docker unreachable: one failed docker check, nothing found, no plan")
    func dockerUnreachable() async throws {
        var bed = try Self.bed()
        defer { bed.remove() }
        bed.engine.pingError = ContainerEngineError(
            kind: .daemonUnreachable, command: ["version"], exitCode: 1, stderr: "",
            description: "Cannot connect to the Docker daemon at unix:///nowhere.sock.")
        let report = await bed.build()
        #expect(report.checks.map(\.name) == ["docker"])
        #expect(report.checks.first?.status == .fail)
        #expect(report.checks.first?.remedy?.contains("DOCKER_HOST") == true)
        #expect(report.plan == nil && !report.isReady)
        #expect(report.findings.oldContainer == nil && report.findings.databases == nil)
        #expect(report.renderText().hasSuffix("NOT ready: 1 check(s) failed; nothing was changed."))
    }

    @Test("the old container missing: a failed old-container check naming --container; nothing checked after it")
    func containerMissing() async throws {
        var bed = try Self.bed()
        defer { bed.remove() }
        bed.engine.containers = [:]
        let report = await bed.build()
        #expect(report.checks.map(\.name) == ["docker", "old-container"])
        #expect(report.failures.map(\.name) == ["old-container"])
        #expect(report.failures.first?.detail.contains(Self.oldName) == true, "\(report.failures)")
        #expect(report.failures.first?.remedy?.contains("--container") == true)
        #expect(report.plan == nil)
    }

    @Test("the new image missing: a failed image check with the docker load remedy; the findings are kept")
    func imageMissing() async throws {
        var bed = try Self.bed()
        defer { bed.remove() }
        bed.engine.images = [Self.oldImage]
        let report = await bed.build()
        #expect(report.failures.map(\.name) == ["image", "metadata-db"], "\(report.checks)")
        let image = try #require(report.failures.first)
        #expect(image.detail.contains(Self.newImage) && image.remedy?.contains("docker load") == true)
        #expect(report.plan == nil)
        #expect(report.findings.newContainer?.name == "oms_330")
        #expect(report.findings.route?.to == OMSVersion(3, 3, 0))
        #expect(report.findings.databases == MetaDatabases(rm: "rm db", cm: "cm`db", cmHeartbeat: "cm_hb"))
        #expect(report.checks.contains { $0.name == "mounts" && $0.status == .pass })
    }

    @Test("the new container's name taken: a failed new-name check")
    func newNameTaken() async throws {
        var bed = try Self.bed()
        defer { bed.remove() }
        bed.engine.otherContainerNames = ["oms_330"]
        let report = await bed.build()
        #expect(report.failures.map(\.name) == ["new-name", "metadata-db"], "\(report.checks)")
        #expect(report.failures.first?.remedy?.contains("--name") == true)
        #expect(report.plan == nil)
    }

    @Test("every engine check passes but the metadata server is down: no plan; text and JSON show what was found")
    func metadataDown() async throws {
        let bed = try Self.bed()
        defer { bed.remove() }
        let report = await bed.build()
        #expect(report.failures.map(\.name) == ["metadata-db"], "\(report.checks)")
        #expect(report.findings.missing.isEmpty, "everything but the metadata was found")
        #expect(report.plan == nil, "a failed check means no plan, however much was found")
        let text = report.renderText()
        #expect(text.contains("New container: oms_330") && text.contains("Route: 3.2.2-CE -> 3.3.0-CE"))
        #expect(!text.contains("Steps:"), "a report without a plan lists no steps")

        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let data = try encoder.encode(report)
        let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["ready"] as? Bool == false)
        #expect(object["steps"] == nil)
        #expect((object["newContainer"] as? [String: Any])?["name"] as? String == "oms_330")
        #expect(object["metaEndpoint"] as? String == "oms_user@127.0.0.1:\(report.findings.metaServer?.port ?? 0)")
        #expect((object["options"] as? [String: Any])?["container"] as? String == Self.oldName)
        let decoded = try Journal.decoder.decode(PlanReport.self, from: data)
        #expect(!decoded.isReady && decoded.failures.map(\.name) == ["metadata-db"])
        #expect(decoded.findings.newContainer?.name == "oms_330" && decoded.findings.route?.to == OMSVersion(3, 3, 0))
    }

    @Test("checks that all passed but left a part unknown fail a `plan` check naming it, instead of a plan with holes")
    func holeBecomesFailedCheck() {
        var findings = PlanFindings()
        findings.configPath = "/etc/oms/config.yaml"
        let report = PlanReport(
            options: PlanOptions(container: "old", image: "new:1"), checks: [.pass("docker", "ok")], findings: findings)
        #expect(report.plan == nil)
        #expect(report.failures.map(\.name) == ["plan"])
        #expect(report.failures.first?.detail.contains("old container") == true)
        #expect(report.failures.first?.detail.contains("config.yaml path") == false)
    }

    @Test("a ready report's JSON is its plan's plan.json plus ready: true, and reads back as ready")
    func readyReportJSON() throws {
        let plan = UpgradePlan.sample()
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let report = try #require(
            JSONSerialization.jsonObject(with: encoder.encode(PlanReport(plan: plan))) as? [String: Any])
        let planFile = try #require(JSONSerialization.jsonObject(with: encoder.encode(plan)) as? [String: Any])
        #expect(report["ready"] as? Bool == true)
        var withoutReady = report
        withoutReady["ready"] = nil
        #expect(withoutReady as NSDictionary == planFile as NSDictionary)
        let decoded = try Journal.decoder.decode(
            PlanReport.self, from: JSONSerialization.data(withJSONObject: report))
        #expect(decoded.isReady && decoded.plan?.newContainerName == plan.newContainerName)
    }
}
