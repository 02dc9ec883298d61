import BlockingWork
import Foundation
import MetaDB
import TerminalProgress

/// Backs up metadata databases into a new directory: one SQL file per database and `manifest.json`.
///
/// ```swift
/// let manifest = try await Backup(server: options, databases: ["rm", "cm", "cm_hb"],
///                                 directory: "/var/backups/oms-upgrade/2024-05-01", progress: reporter).run()
/// ```
///
/// The directory is created `0700` and must not exist or be empty; files are
/// `0600`. Each file restores with the stock client (`mariadb db < rm.sql`). The
/// databases are dumped in parallel, one connection each. The manifest is
/// written last and atomically: a directory without one is an incomplete backup.
/// If anything fails, the file being written is removed and no manifest is
/// written; the error names the database, table and file.
public struct Backup: Sendable {
    /// The server (its `database` field is ignored).
    public var server: ConnectionOptions
    /// The databases to back up, e.g. rm, cm and every cm_hb.
    public var databases: [String]
    /// The backup directory to create.
    public var directory: String
    /// Which dumper writes the SQL files.
    public var dumper: BackupDumper
    /// Where progress goes.
    public var progress: ProgressReporter
    /// Upper bound of one INSERT statement (native dumper), kept well below every server's max_allowed_packet.
    public var maxStatementBytes: Int = 1 << 20
    /// The names to record in the manifest and the file names, one per database, when they differ from the
    /// databases dumped (a backup written from a snapshot names the databases it stands for).
    public var recordAs: [String]? = nil
    /// Tables the dumper leaves out of every database (a snapshot's bookkeeping tables).
    public var skipTables: Set<String> = []
    /// The views, triggers, routines and events to write for each database, by the name recorded in the
    /// manifest, when they are not to be read from the databases dumped (a snapshot holds base tables only;
    /// its database's objects are captured from the live database at the stop). Native dumper only.
    public var objects: [String: [ObjectDefinition]]? = nil
    /// The private directory for mysqldump's option file (it holds the password); nil:
    /// ``DefaultsFile/defaultDirectory``. A run passes its `<work-dir>/runs/.secrets`.
    public var optionFileDirectory: String? = nil

    /// Describes a backup to run.
    public init(
        server: ConnectionOptions, databases: [String], directory: String, dumper: BackupDumper = .native,
        progress: ProgressReporter = .silent
    ) {
        self.server = server
        self.databases = databases
        self.directory = directory
        self.dumper = dumper
        self.progress = progress
    }

    /// The file name for a database's dump: the name with anything but letters, digits, `_`, `-`, `.` replaced.
    public static func fileName(for database: String) -> String {
        let safe = database.unicodeScalars.map { c -> String in
            (c.isASCII && (CharacterSet.alphanumerics.contains(c) || c == "_" || c == "-" || c == "."))
                ? String(c) : "_"
        }.joined()
        return (safe.hasPrefix(".") ? "_" + safe : safe) + ".sql"
    }

    /// Runs the backup and returns the manifest it wrote.
    public func run() async throws -> BackupManifest {
        let names = try fileNames()
        let started = Date()
        let serverVersion = try await checkServer()
        try AtomicFile.createPrivateDirectory(directory)
        progress.message(
            "Backing up \(databases.joined(separator: ", ")) from \(server.endpoint) with the \(dumper.rawValue) dumper into \(directory)"
        )
        let (dumped, dumperVersion) =
            switch dumper {
            case .native: try await dumpNatively(names: names)
            case .mysqldump: try await dumpWithMysqldump(names: names)
            }
        var entries = dumped
        if let recordAs {
            for index in entries.indices { entries[index].name = recordAs[index] }
        }
        let finished = Date()
        let manifest = BackupManifest(
            formatVersion: BackupManifest.currentFormat, tool: "oms-upgrade", toolVersion: MetaDumpVersion.current,
            dumper: dumper, dumperVersion: dumperVersion, server: server.endpoint, serverVersion: serverVersion,
            checksumAlgorithm: TableChecksum.algorithm,
            startedAt: started, finishedAt: finished, durationSeconds: finished.timeIntervalSince(started),
            databases: entries)
        try manifest.write(to: directory)
        let bytes = entries.reduce(Int64(0)) { $0 + $1.file.size }
        let rows = entries.reduce(Int64(0)) { $0 + $1.tables.reduce(0) { $0 + $1.rowCount } }
        progress.message(
            String(
                format: "Backup complete: %d databases, %d tables, %@, %lld rows, %@ in %.2fs", entries.count,
                entries.reduce(0) { $0 + $1.tables.count }, manifest.objectSummary, rows,
                ProgressUnit.bytes.format(Double(bytes)), finished.timeIntervalSince(started)))
        return manifest
    }

    /// The file name of each database's dump, after checking the arguments: some databases, one name each.
    private func fileNames() throws -> [String] {
        guard !databases.isEmpty else {
            throw MetaDumpError(.invalidArgument, action: "Backing up", reason: "no database was named")
        }
        if let recordAs, recordAs.count != databases.count {
            throw MetaDumpError(
                .invalidArgument, action: "Backing up",
                reason: "recordAs names \(recordAs.count) databases, not \(databases.count)")
        }
        let names = (recordAs ?? databases).map(Self.fileName(for:))
        guard Set(names).count == names.count, Set(databases).count == databases.count else {
            throw MetaDumpError(
                .invalidArgument, action: "Backing up \(databases.joined(separator: ", "))",
                reason: "two databases would share a file name")
        }
        return names
    }

    /// Checks that every database exists and has names the client tools can restore (and, for mysqldump on the
    /// OceanBase kernel, no generated columns); returns the server's version.
    private func checkServer() async throws -> String {
        let databases = self.databases
        return try await withContext("Connecting to \(server.endpoint)") { () async throws -> String in
            try await AsyncConnection.with(options: server) { connection in
                let missing = try await connection.withConnection { connection in
                    try databases.filter { try !connection.databaseExists($0) }
                }
                guard missing.isEmpty else {
                    throw MetaDumpError(
                        .invalidArgument, action: "Backing up \(databases.joined(separator: ", "))",
                        reason: "no database named \(missing.map { "`\($0)`" }.joined(separator: ", ")) exists",
                        remedy: "Check the database names (drc_rm_db, drc_cm_db, drc_cm_heartbeat_db in config.yaml).")
                }
                try await connection.withConnection { [dumper] connection in
                    try ClientSafeNames.check(connection, databases: databases)
                    if dumper == .mysqldump && connection.isOceanBase {
                        for database in databases {
                            let catalog = try SchemaCatalog.read(connection, database: database)
                            try MysqldumpDumper.refuseDatabaseNamedWithBacktick(catalog)
                            try MysqldumpDumper.refuseGeneratedColumns(catalog)
                            try MysqldumpDumper.refuseViewsMysqldumpCannotCarry(connection, catalog)
                        }
                    }
                }
                return connection.serverVersion
            }
        }
    }

    /// Dumps every database with the native dumper, all at once; returns the entries and the dumper's version.
    private func dumpNatively(names: [String]) async throws -> ([BackupManifest.Database], String) {
        let stop = StopFlag()
        var dumper = NativeDumper(server: server, progress: progress, maxStatementBytes: maxStatementBytes, stop: stop)
        dumper.skipTables = skipTables
        let native = dumper
        let databases = self.databases
        let recorded = recordAs ?? databases
        let objects = self.objects
        let jobs = databases.indices.map { index in
            (databases[index], directory + "/" + names[index], objects.map { $0[recorded[index]] ?? [] })
        }
        // A signal (task cancellation) stops the running dumps at their next batch of rows.
        let stopDumps: @Sendable () -> Void = { stop.set() }
        let entries = try await BlockingPool.shared.map(jobs, width: jobs.count, onCancel: stopDumps) { job in
            try native.dump(database: job.0, to: job.1, objects: job.2)
        }
        return (entries, NativeDumper.version)
    }

    /// Dumps every database with the stock mysqldump or mariadb-dump, all at once; returns the entries and its version.
    private func dumpWithMysqldump(names: [String]) async throws -> ([BackupManifest.Database], String) {
        if objects != nil {
            throw MetaDumpError(
                .invalidArgument, action: "Backing up \(databases.joined(separator: ", "))",
                reason: "objects captured elsewhere can only be written by the native dumper")
        }
        let tool = try await ClientTool.dumper()
        var dumper = MysqldumpDumper(server: server, tool: tool, progress: progress)
        dumper.skipTables = skipTables
        dumper.optionFileDirectory = optionFileDirectory
        let databases = self.databases
        let directory = self.directory
        let entries = try await withThrowingTaskGroup(of: (Int, BackupManifest.Database).self) { group in
            for (index, database) in databases.enumerated() {
                let path = directory + "/" + names[index]
                group.addTask { [dumper] in (index, try await dumper.dump(database: database, to: path)) }
            }
            var results = [BackupManifest.Database?](repeating: nil, count: databases.count)
            for try await (index, entry) in group { results[index] = entry }
            return results.compactMap { $0 }  // every index is set: each task returned one
        }
        return (entries, tool.versionLine)
    }
}

/// The version of MetaDump recorded in manifests.
public enum MetaDumpVersion {
    /// The current version string.
    public static let current = "1.0.0"
}
