import Foundation
import MetaDB
import MetaDump
import OnlineCopy
import TerminalProgress

// oms-upgrade-bench: times MetaDump against the upgrade guide's commands and the usual tools, in one run.
//
//   oms-upgrade-bench [--quick] [--only prune,backup,restore,rollback] [--root <repo>]
//
// Needs the sandbox (scripts/sandbox-up.sh). Builds its own data on the server, prints a table on
// stdout, and drops its databases (prefix bench_md_) at the end.

struct Options {
    var quick = false
    var only: Set<String> = ["prune", "backup", "restore", "rollback"]
    var root = FileManager.default.currentDirectoryPath
    /// Keep the data set at the end (and reuse it next time when it is there): for development.
    var keep = false

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        while let argument = rest.popFirst() {
            switch argument {
            case "--quick": quick = true
            case "--only": only = Set((rest.popFirst() ?? "").split(separator: ",").map(String.init))
            case "--root": root = rest.popFirst() ?? root
            case "--keep": keep = true
            case "-h", "--help":
                print(
                    "usage: oms-upgrade-bench [--quick] [--only prune,backup,restore,rollback] [--root <repo>] [--keep]"
                )
                exit(0)
            default: throw BenchError("unknown argument \(argument)")
            }
        }
    }
}

func log(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}

func makeWorkDirectory() throws -> String {
    var template = Array((NSTemporaryDirectory() + "/oms-upgrade-bench-XXXXXX").utf8CString)
    guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
        throw BenchError("cannot create a temporary directory")
    }
    return String(cString: made)
}

func fileSize(_ path: String) -> Int64 {
    var total: Int64 = 0
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return 0 }
    if !isDirectory.boolValue {
        return ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
    for name in (try? FileManager.default.subpathsOfDirectory(atPath: path)) ?? [] {
        total +=
            ((try? FileManager.default.attributesOfItem(atPath: path + "/" + name))?[.size] as? NSNumber)?.int64Value
            ?? 0
    }
    return total
}

func mib(_ bytes: Int64) -> String { String(format: "%.0f MiB", Double(bytes) / 1_048_576) }

@main @MainActor
struct BenchMain {
    static func main() async throws {
        let options = try Options(Array(CommandLine.arguments.dropFirst()))
        let server = try BenchServer.fromSandbox(root: options.root)
        let data = options.quick ? DataSet.quick() : DataSet.full()
        let work = try makeWorkDirectory()
        let defaults = try DefaultsFile(server: server.options)
        var m = Measurements()
        let silent = ProgressReporter.silent
        let start = Date()
        log(
            "oms-upgrade-bench: \(options.quick ? "quick" : "full") run against \(server.options.endpoint); work directory \(work)"
        )
        defer { defaults.remove() }

        do {
            // MARK: Prune

            if options.only.contains("prune") {
                let rows = data.heartbeatLarge
                let db = DataSet.prefix + "hb_large"
                let group = "prune"
                log("prune: heatbeat_sequence with \(rows) rows (seeded anew before each run)")
                try DataSet.heartbeat(server, database: db, rows: rows)
                try await m.time(group, "guide: DELETE … WHERE id < max (one statement)") {
                    let max = try server.int("SELECT MAX(id) FROM heatbeat_sequence", database: db) ?? 0
                    try server.run(["DELETE FROM heatbeat_sequence WHERE id < \(max)"], database: db)
                }
                for strategy in [PruneStrategy.swap, .batched] {
                    try DataSet.heartbeat(server, database: db, rows: rows)
                    let result = try await m.time(group, "MetaDump \(strategy.rawValue)") {
                        try await HeartbeatPruner(server: server.options, database: db, progress: silent).prune(
                            strategy: strategy)
                    }
                    guard result.rowsAfter == 1, result.nextAutoIncrement == Int64(rows) + 1 else {
                        throw BenchError(
                            "prune \(strategy) left \(result.rowsAfter) rows, next id \(result.nextAutoIncrement ?? -1)"
                        )
                    }
                }
                try DataSet.heartbeat(server, database: db, rows: rows)
                var counting = HeartbeatPruner(server: server.options, database: db, progress: silent)
                counting.exactCounts = true
                _ = try await m.time(group, "MetaDump swap, with an exact COUNT(*) before") {
                    try await counting.prune(strategy: .swap)
                }
                try server.drop([db])
            }

            // MARK: Data for backup, restore and rollback

            let databases = data.metadataDatabases
            let reuse =
                try options.keep
                && (server.int(
                    "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '\(DataSet.hbSmall)'") ?? 0)
                    > 0
            if !options.only.isDisjoint(with: ["backup", "restore", "rollback"]) && !reuse {
                log(
                    "data: \(DataSet.rm) and \(DataSet.cm) with \(data.metadataRows) rows each, \(DataSet.hbSmall) with \(data.heartbeatSmall) heartbeat rows"
                )
                try data.metadata(server)
                try DataSet.heartbeat(server, database: DataSet.hbSmall, rows: data.heartbeatSmall)
                try server.run([
                    "ANALYZE TABLE \(DataSet.rm).oms_project, \(DataSet.rm).oms_normal_config, \(DataSet.cm).config_job, \(DataSet.cm).host, \(DataSet.hbSmall).heatbeat_sequence"
                ])
            }

            // MARK: Backup

            let guideDir = work + "/guide"
            let nativeDir = work + "/native"
            try FileManager.default.createDirectory(atPath: guideDir, withIntermediateDirectories: true)
            let needBackups = !options.only.isDisjoint(with: ["backup", "restore", "rollback"])
            if needBackups {
                let group = "backup"
                log("backup: \(databases.joined(separator: ", "))")
                try await m.time(group, "guide: mariadb-dump per database, one after another") {
                    for db in databases {
                        try ExternalTool.run(
                            "mariadb-dump", defaults: defaults, ["--single-transaction", db],
                            stdoutFile: guideDir + "/\(db).sql")
                    }
                }
                let native = try await m.time(group, "MetaDump native (parallel, manifest + checksums)") {
                    try await Backup(
                        server: server.options, databases: databases, directory: nativeDir, progress: silent
                    ).run()
                }
                _ = try await m.time(group, "MetaDump mysqldump dumper (parallel, manifest)") {
                    try await Backup(
                        server: server.options, databases: databases, directory: work + "/mysqldump",
                        dumper: .mysqldump,
                        progress: silent
                    ).run()
                }
                let regex = "^(" + databases.joined(separator: "|") + ")\\."
                await m.timeTool(group, "mydumper -t 4 --trx-consistency-only (no checksums)") {
                    try ExternalTool.run(
                        "mydumper", defaults: defaults, asDefaultsFile: true,
                        ["--regex", regex, "-o", work + "/mydumper", "-t", "4", "--trx-consistency-only", "-v", "1"])
                }
                let report = await m.time(group, "MetaDump verify (hash + parse, no server)") {
                    await BackupVerifier(progress: silent).verify(nativeDir)
                }
                guard report.isValid else { throw BenchError("the native backup does not verify: \(report.problems)") }
                log(
                    "  sizes: guide \(mib(fileSize(guideDir))), native \(mib(fileSize(nativeDir))), mydumper \(mib(fileSize(work + "/mydumper"))); native rows \(native.databases.reduce(0) { $0 + $1.tables.reduce(0) { $0 + $1.rowCount } })"
                )
            }

            // MARK: Restore

            if options.only.contains("restore") {
                let group = "restore"
                log("restore: into fresh databases")
                try await m.time(group, "guide: mariadb < file (mariadb-dump files)") {
                    for db in databases {
                        try server.run(["CREATE DATABASE \(SQL.quoteIdentifier(db + "_cli"))"])
                        try ExternalTool.run(
                            "mariadb", defaults: defaults, [db + "_cli"], stdinFile: guideDir + "/\(db).sql")
                    }
                }
                try server.drop(databases.map { $0 + "_cli" })
                try await m.time(group, "mariadb < file (native files)") {
                    for db in databases {
                        try server.run(["CREATE DATABASE \(SQL.quoteIdentifier(db + "_cln"))"])
                        try ExternalTool.run(
                            "mariadb", defaults: defaults, [db + "_cln"], stdinFile: nativeDir + "/\(db).sql")
                    }
                }
                try server.drop(databases.map { $0 + "_cln" })
                let restored = try await m.time(group, "MetaDump native (verify + parallel load + checksums)") {
                    try await Restorer(server: server.options, progress: silent).restore(
                        from: nativeDir, into: .suffix("_nat"))
                }
                log(
                    String(
                        format: "  native restore phases: verify %.2fs, load %.2fs, check %.2fs",
                        restored.verifySeconds,
                        restored.loadSeconds, restored.checkSeconds))
                try server.drop(databases.map { $0 + "_nat" })
                await m.timeTool(group, "myloader -t 4") {
                    for db in databases {
                        try ExternalTool.run(
                            "myloader", defaults: defaults, asDefaultsFile: true,
                            ["-d", work + "/mydumper", "-s", db, "-B", db + "_myl", "-t", "4", "-v", "1"])
                    }
                }
                try server.drop(databases.map { $0 + "_myl" })
            }

            // MARK: Rollback (data part)

            if options.only.contains("rollback") {
                let group = "rollback"
                log("rollback: the guide's drop + create + source versus a snapshot swap back")
                try await m.time(group, "guide: DROP + CREATE DATABASE + mariadb < file") {
                    for db in databases {
                        try server.run([
                            "DROP DATABASE \(SQL.quoteIdentifier(db))", "CREATE DATABASE \(SQL.quoteIdentifier(db))",
                        ])
                        try ExternalTool.run("mariadb", defaults: defaults, ["-e", "source \(guideDir)/\(db).sql", db])
                    }
                }
                let snapshot = Snapshot(server: server.options, progress: silent)
                func upgradeLikeChanges() throws {
                    for db in databases {
                        let connection = try Connection(
                            options: {
                                var o = server.options
                                o.database = db
                                return o
                            }())
                        defer { connection.close() }
                        for table in try connection.query("SHOW TABLES").rows.compactMap({ $0[0].string }) {
                            try connection.execute(
                                "ALTER TABLE \(SQL.quoteIdentifier(table)) ADD COLUMN upgraded int DEFAULT 1")
                        }
                        try connection.execute("CREATE TABLE oms_version (version varchar(20))")
                    }
                }
                for (label, verification) in [
                    ("b1", SwapBackVerification.tablesOnly), ("b2", .rowCounts), ("b3", .checksums),
                ] {
                    _ = try await m.time(
                        group, "snapshot take \(label) (upgrade step, not part of the rollback)",
                        note: "server-side copy + checksums"
                    ) {
                        try await snapshot.take(databases: databases, label: label)
                    }
                    try upgradeLikeChanges()
                    _ = try await m.time(group, "MetaDump snapshot swapBack, check: \(verification.rawValue)") {
                        try await snapshot.swapBack(databases: databases, label: label, verification: verification)
                    }
                    try await snapshot.drop(databases: databases, label: label)
                    for db in databases { try server.dropAll(prefix: db + "__quarantine_") }
                }
            }
        } catch {
            log("benchmark failed: \(error)")
            try? server.dropAll(prefix: DataSet.prefix)
            try? FileManager.default.removeItem(atPath: work)
            defaults.remove()  // exit() skips the defer
            exit(1)
        }

        if !options.keep { try? server.dropAll(prefix: DataSet.prefix) }
        try? FileManager.default.removeItem(atPath: work)

        let title = """
            oms-upgrade-bench (\(options.quick ? "quick" : "full") run, \(String(format: "%.0f", Date().timeIntervalSince(start))) s total) \
            on \(ProcessInfo.processInfo.activeProcessorCount) CPUs
            prune: heatbeat_sequence with \(data.heartbeatLarge) rows; backup/restore/rollback: rm and cm with \(data.metadataRows) rows each \
            + cm_hb with \(data.heartbeatSmall) heartbeat rows
            """
        print(
            m.report(
                title: title,
                baselines: [
                    "prune": "guide: DELETE … WHERE id < max (one statement)",
                    "backup": "guide: mariadb-dump per database, one after another",
                    "restore": "guide: mariadb < file (mariadb-dump files)",
                    "rollback": "guide: DROP + CREATE DATABASE + mariadb < file",
                ]))
    }
}
