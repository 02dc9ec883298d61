import Containers
import Foundation
import MetaDump
import OMSDeployment
import UpgradeEngine

@testable import UpgradeReport

/// A run made up in memory: a plan, journal entries at chosen seconds, a manifest.
struct SyntheticRun {
    static let start = Date(timeIntervalSince1970: 1_800_000_000)
    static let hostile = "oms<rm>&\"x'"
    static let password = "s3cr3t-Pa55"
    static let envSecret = "ENV-VALUE-never-shown"

    var entries: [JournalEntry] = []

    /// Appends `event` for `step` at `seconds` after the start.
    mutating func add(
        _ seconds: Double, _ event: JournalEntry.Event, _ step: StepID? = nil,
        facts: [String: String] = [:], message: String? = nil
    ) {
        entries.append(
            JournalEntry(
                sequence: entries.count + 1, time: Self.start.addingTimeInterval(seconds),
                event: event, step: step, facts: facts, message: message))
    }

    /// Runs `step` from `from` to `to` seconds, completing it.
    mutating func step(_ step: StepID, _ from: Double, _ to: Double, facts: [String: String] = [:]) {
        add(from, .stepStarted, step)
        add(to, .stepCompleted, step, facts: facts)
    }

    /// Today's successful upgrade: online steps, the outage from stop-old to health, ha-on after.
    static func upgraded() -> SyntheticRun {
        var run = SyntheticRun()
        run.add(0, .runStarted)
        run.step(.prePrune, 0, 2)
        run.step(.haOff, 2, 2.5)
        run.step(.onlineCopy, 2.5, 3)
        run.step(.stopOld, 3, 4)
        run.step(.catchUp, 4, 4.5, facts: ["snapshotDatabases": "\(hostile)__pre_330_x_1,cm__pre_330_x_1"])
        run.step(.prune, 4.5, 6)
        run.step(.startNew, 6, 8)
        run.step(.initSchema, 8, 10)
        run.step(.health, 10, 13)
        run.step(.backup, 13, 14, facts: ["backupDirectory": "/work/runs/r1/backup"])
        run.step(.haOn, 14, 14.5)
        run.add(14.5, .upgradeFinished)
        return run
    }

    static func plan() -> UpgradePlan {
        UpgradePlan(
            options: PlanOptions(
                container: "oms_322", image: "oms-fixture:3.3.0", newName: "oms_330",
                workDir: "/work"),
            nodes: [
                NodeTarget(
                    oldContainer: .init(
                        name: "oms_322", id: String(repeating: "c", count: 64), image: "oms-fixture:3.2.2",
                        running: true),
                    oldContainerSpec: ContainerRunSpec(name: "oms_322", image: "oms-fixture:3.2.2"),
                    newContainer: ContainerRunSpec(
                        name: "oms_330", image: "oms-fixture:3.3.0",
                        mounts: [
                            Mount(source: "/data/<conf>/config.yaml", destination: "/home/admin/conf/config.yaml")
                        ],
                        env: [EnvVar(name: "OMS_HOST_IP", value: "127.0.0.1"), EnvVar(name: "TOKEN", value: envSecret)]
                    ),
                    consoleURL: "http://127.0.0.1:8089", newConsoleURL: "http://127.0.0.1:8089")
            ],
            configPath: "/etc/oms/config.yaml",
            metaServer: .init(host: "127.0.0.1", port: 3306, user: "root"),
            databases: MetaDatabases(rm: hostile, cm: "cm", cmHeartbeat: "cm_hb"),
            route: UpgradeRoute(from: OMSVersion(3, 2, 2), to: OMSVersion(3, 3, 0)),
            checks: [
                .pass("docker", "Docker answers."),
                .warn("ha", "HA <on> & \"off\"", remedy: "Turn it off with password \(password)"),
            ])
    }

    /// A manifest as `manifest.json` would hold it (its types have no public memberwise initialisers).
    static func manifest() -> BackupManifest {
        func table(_ name: String, _ rows: Int64) -> [String: Any] {
            [
                "name": name, "createSHA256": "00", "columns": ["id"],
                "checksum": ["rowCount": rows, "crc32Sum": "\(rows * 7)", "reversedCRC32Sum": "\(rows * 11)"],
            ]
        }
        let json: [String: Any] = [
            "formatVersion": 1, "tool": "oms-upgrade", "toolVersion": "1.0.0", "dumper": "native",
            "dumperVersion": "native 1", "server": "root@127.0.0.1:3306", "serverVersion": "10.11",
            "checksumAlgorithm": TableChecksum.algorithm, "startedAt": "2027-01-15T08:00:00Z",
            "finishedAt": "2027-01-15T08:00:01Z", "durationSeconds": 1.5,
            "databases": [
                [
                    "name": hostile, "characterSet": "utf8mb4", "collation": "utf8mb4_bin",
                    "file": ["name": "rm.sql", "size": 1234, "sha256": String(repeating: "ab", count: 32)],
                    "tables": [table("oms_project", 50), table("a|b<c>", 3)], "views": [],
                ]
            ],
        ]
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        // swiftlint:disable:next force_try
        return try! decoder.decode(BackupManifest.self, from: JSONSerialization.data(withJSONObject: json))
    }

    func model(after: [String: [String: TableChecksum]]? = nil, log: [String] = []) -> ReportModel {
        ReportModel(
            runID: "20261129-181500-oms_322", runDirectory: "/work/runs/20261129-181500-oms_322",
            plan: Self.plan(), entries: entries, manifest: Self.manifest(), after: after,
            afterSource: "computed now", logLines: log, generatedAt: Self.start, secrets: [Self.password])
    }
}
