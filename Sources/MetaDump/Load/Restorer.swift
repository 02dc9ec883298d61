import BlockingWork
import Foundation
import MetaDB
import SystemPackage
import TerminalProgress

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Under which names a backup's databases are restored.
public enum RestoreTarget: Sendable, Equatable {
    /// The names they had when backed up.
    case originalNames
    /// The original names with a suffix, e.g. `_restored` makes `rm_restored`.
    case suffix(String)
    /// Explicit new names by original name; unlisted databases keep their names.
    case renamed([String: String])

    /// The target name of the database backed up as `name`.
    public func name(for name: String) -> String {
        switch self {
        case .originalNames: name
        case .suffix(let suffix): name + suffix
        case .renamed(let map): map[name] ?? name
        }
    }
}

/// What a restore did, per database.
public struct RestoreReport: Sendable {
    /// One restored database.
    public struct Database: Sendable {
        /// The name in the backup.
        public var source: String
        /// The name restored to.
        public var target: String
        /// Tables restored and verified.
        public var tables: Int
        /// Rows restored and verified.
        public var rows: Int64
        /// Where the tables that were in `target` before now are (forced restore into a non-empty database).
        public var quarantine: String?
    }

    /// The databases, in the backup's order.
    public var databases: [Database]
    /// Wall-clock time of the whole restore, in seconds.
    public var durationSeconds: Double
    /// Seconds spent verifying the backup files, loading, and checking the loaded tables against the manifest.
    public var verifySeconds: Double = 0
    public var loadSeconds: Double = 0
    public var checkSeconds: Double = 0
}

/// Restores a verified backup, never destroying data that is there now.
///
/// 1. The backup is verified first (``BackupVerifier``); if it does not verify,
///    nothing on the server is touched.
/// 2. A target database that holds tables or views is refused unless `force`.
/// 3. Each database is loaded: an absent or empty target directly; a non-empty
///    one (with `force`) into a staging sibling `<db>__restore_<time>`.
/// 4. Every table's row count and checksums are compared with the manifest.
/// 5. Staged data is swapped in with one atomic `RENAME TABLE`; the tables that
///    were there move to `<db>__quarantine_restore_<time>` (kept, not dropped).
///
/// Native dumps load in parallel on several connections (see `NativeLoader`);
/// mysqldump files go through the stock `mariadb`/`mysql` client with a
/// defaults file, or statement by statement on one connection if there is no client.
public struct Restorer: Sendable {
    /// The server (its `database` field is ignored).
    public var server: ConnectionOptions
    /// Where progress goes.
    public var progress: ProgressReporter
    /// Parallel connections for loading and checking. Three measured best on a 2-core server (two or three
    /// were equal, four and more slower from contention); a server with more cores may take more.
    public var workers: Int = 3
    /// The private directory for the client's option file (it holds the password); nil: ``DefaultsFile/defaultDirectory``.
    public var optionFileDirectory: String? = nil

    /// Creates a restorer.
    public init(server: ConnectionOptions, progress: ProgressReporter = .silent) {
        self.server = server
        self.progress = progress
    }

    /// Restores the backup in `directory` into `target` names; `force` allows non-empty targets (see the type's notes).
    public func restore(from directory: String, into target: RestoreTarget = .originalNames, force: Bool = false)
        async throws -> RestoreReport
    {
        let started = Date()
        let (report, scans) = await BackupVerifier(progress: progress).verifyAndScan(directory)
        guard report.isValid, let manifest = report.manifest else {
            throw MetaDumpError(
                .verificationFailed, action: "Restoring from \(directory)",
                reason: "the backup does not verify: " + report.problems.joined(separator: " "),
                file: directory, remedy: "Nothing was changed on the server. Use another backup.")
        }
        progress.message(
            "Backup \(directory) verified (\(report.tablesChecked) tables); restoring to \(server.endpoint)")
        let verified = Date()
        let coordinator = try await withContext("Connecting to \(server.endpoint)") {
            try await AsyncConnection(options: server)
        }
        return try await coordinator.closing { coordinator in
            try await restore(
                manifest, scans: scans, from: directory, into: target, force: force,
                started: started, verified: verified, coordinator: coordinator)
        }
    }

    /// Restores the verified `manifest`'s files, deciding, creating and swapping on `coordinator`.
    private func restore(
        _ manifest: BackupManifest, scans: [String: DumpFileScan], from directory: String, into target: RestoreTarget,
        force: Bool, started: Date, verified: Date, coordinator: AsyncConnection
    ) async throws -> RestoreReport {
        // Decide every target before touching anything.
        try await checkDefiners(of: manifest, from: directory, coordinator: coordinator)
        let now = Date()
        let placements = try await place(manifest, into: target, force: force, at: now, coordinator: coordinator)
        try await createDatabases(placements, coordinator: coordinator)
        try await load(placements, dumper: manifest.dumper, scans: scans, from: directory)
        let loaded = Date()
        try await check(placements)
        let checked = Date()
        let results = try await swapIn(placements, at: now, coordinator: coordinator)
        return RestoreReport(
            databases: results, durationSeconds: Date().timeIntervalSince(started),
            verifySeconds: verified.timeIntervalSince(started), loadSeconds: loaded.timeIntervalSince(verified),
            checkSeconds: checked.timeIntervalSince(loaded))
    }

    /// Runs a mysqldump-made file into `database`: the stock client with a defaults file, or one connection.
    ///
    /// When the OceanBase kernel stops the client with one of its transient answers to DDL while other
    /// sessions run DDL (``transientClientLoadCodes``), the file is run again on one connection
    /// (``StatementRunner``), which gets each statement past them. Every table, view and routine in such a
    /// file is dropped if it exists before it is created, and a trigger goes with its table, so that
    /// second run gives the database one run would have. (Running the client again would not converge: a
    /// file of many triggers meets the answer in some trigger on nearly every run while DDL goes on.)
    func loadWithClient(path: String, into database: String) async throws {
        let server = self.server
        if let client = try? await ClientTool.client() {
            do {
                return try await loadWithClient(client, path: path, into: database)
            } catch  where Self.isTransientClientLoadFailure(error) {
                let codes = ErrorChain.mysqlCodes(in: error).map(String.init).joined(separator: ", ")
                progress.message(
                    "Restoring `\(database)`: the server refused DDL for a moment (error \(codes)); "
                        + "running the file again on one connection, past such answers")
            }
        }
        try await BlockingPool.shared.run {
            try StatementRunner.run(path: path, server: server, database: database)
        }
    }

    /// The OceanBase kernel's answers to DDL that the same statement gets past a moment later, seen while other
    /// sessions run DDL: 5734, a `CREATE TRIGGER` told "trigger … already exist" in a database that has no
    /// such trigger, and 5627, "Schema try again". The stock client stops at the first of them.
    static let transientClientLoadCodes: Set<UInt32> = [5734, 5627]

    /// Whether `error` is the client stopping at one of ``transientClientLoadCodes``.
    static func isTransientClientLoadFailure(_ error: any Error) -> Bool {
        ErrorChain.errors(in: error).contains { $0 is ClientToolFailure }
            && ErrorChain.mysqlCodes(in: error).contains(where: transientClientLoadCodes.contains)
    }

    /// Runs the stock `client` once on the file at `path` in `database`.
    private func loadWithClient(_ client: ClientTool, path: String, into database: String) async throws {
        let defaults = try DefaultsFile(server: server, in: optionFileDirectory)
        defer { defaults.remove() }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw MetaDumpError(
                .fileSystem, action: "Opening \(path)", reason: String(cString: strerror(errno)), file: path)
        }
        defer { close(fd) }
        let task = progress.task(
            "restore \(database) (\((client.path as NSString).lastPathComponent))", total: nil, unit: .items)
        try await client.run(
            [defaults.argument, "--default-character-set=utf8mb4", "--database=\(database)"],
            input: FileDescriptor(rawValue: fd), output: nil,
            action: "Restoring \(path) into `\(database)`", database: database, file: path)
        task.finish()
    }
}

/// Runs a SQL file statement by statement on one connection: when no client program is installed, and on
/// the OceanBase kernel after the client stopped at a transient answer to DDL.
///
/// DDL is sent again past the OceanBase kernel's "Schema try again" (``MetaDB/Connection``), and a
/// `CREATE TRIGGER` past its spurious "already exist" (`createTriggerTolerantly`).
enum StatementRunner {
    static func run(path: String, server: ConnectionOptions, database: String) throws {
        let connection = try Session.open(server, database: database)
        defer { connection.close() }
        var scanner = SQLStatementScanner(collectText: true)
        func execute(_ statement: ScannedStatement) throws {
            guard statement.shape.isMysqldump else {
                throw MetaDumpError(
                    .verificationFailed, action: "Running the statement at byte \(statement.offset)",
                    reason: "it is not a statement a dump holds", file: path,
                    remedy: "Nothing more of the file was run. Use another backup.")
            }
            guard let sql = String(validating: statement.text, as: UTF8.self) else {
                throw MetaDumpError(
                    .unsupported, action: "Running the statement at byte \(statement.offset)",
                    reason: "it is not valid UTF-8", file: path)
            }
            try withContext("Running the statement at byte \(statement.offset)", database: database, file: path) {
                if case .createTrigger(let name) = statement.shape, connection.isOceanBase {
                    try connection.createTriggerTolerantly(sql, database: database, name: name)
                } else {
                    try connection.execute(sql)
                }
            }
        }
        _ = try FileDigest.read(path) { chunk in try scanner.feed(chunk, execute) }
        try scanner.finish(execute)
    }
}

/// Compares a restored database with its manifest entry.
public enum RestoreCheck {
    /// How the objects found in a database differ from a manifest's: missing, changed, or not in the backup.
    public static func objectProblems(_ found: [ObjectDefinition], expected: [BackupManifest.Object]) -> [String] {
        var problems: [String] = []
        for object in expected {
            guard let live = found.first(where: { $0.kind == object.kind && $0.name == object.name }) else {
                problems.append("\(object.kind.rawValue) `\(object.name)` is missing")
                continue
            }
            if live.sha256 != object.sha256 {
                problems.append("\(object.kind.rawValue) `\(object.name)` has another definition than in the backup")
            } else if live.definer != object.definer || live.sqlMode != object.sqlMode {
                problems.append(
                    "\(object.kind.rawValue) `\(object.name)` has definer \(live.definer ?? "none") and sql_mode '\(live.sqlMode ?? "")', the backup \(object.definer ?? "none") and '\(object.sqlMode ?? "")'"
                )
            }
        }
        for object in found where !expected.contains(where: { $0.kind == object.kind && $0.name == object.name }) {
            problems.append("\(object.kind.rawValue) `\(object.name)` is not in the backup")
        }
        return problems
    }

    /// Reads the views, triggers, routines and events of `database` (the tool's own capture triggers left out).
    public static func objects(server: ConnectionOptions, database: String) async throws -> [ObjectDefinition] {
        try await BlockingPool.shared.run {
            try withContext("Reading the objects of `\(database)`", database: database) {
                let connection = try Session.open(server)
                defer { connection.close() }
                return try ObjectDefinition.all(connection, in: database)
            }
        }
    }

    /// Reads the views, triggers, routines and events of each of `databases` with one `information_schema`
    /// query per kind for all of them, the kinds in parallel, each on a connection of its own (the tool's
    /// own capture triggers left out).
    ///
    /// Each query is tens to hundreds of milliseconds on the OceanBase kernel: in parallel, the read
    /// takes about as long as the slowest (routines), not their sum.
    public static func objects(server: ConnectionOptions, databases: [String]) async throws -> [String:
        [ObjectDefinition]]
    {
        let groups: [Set<ObjectDefinition.Kind>] = [[.view], [.trigger], [.procedure, .function, .event]]
        let action = "Reading the objects of \(databases.map { "`\($0)`" }.joined(separator: ", "))"
        let found = try await BlockingPool.shared.map(groups, width: groups.count) { kinds in
            try withContext(action) {
                let connection = try Session.open(server)
                defer { connection.close() }
                return try ObjectDefinition.all(connection, in: databases, kinds: kinds)
            }
        }
        // Views, triggers, routines, events: the order one read of all kinds gives.
        var objects: [String: [ObjectDefinition]] = [:]
        for group in found {
            for (database, list) in group { objects[database, default: []] += list }
        }
        return objects
    }

    /// Throws unless `database` has exactly the manifest's tables with equal row counts and checksums.
    static func compare(
        server: ConnectionOptions, database: String, with entry: BackupManifest.Database, workers: Int,
        progress: ProgressReporter
    ) async throws {
        let catalog = try await BlockingPool.shared.run {
            try withContext("Reading the restored tables of `\(database)`", database: database) {
                let connection = try Session.open(server)
                defer { connection.close() }
                return try SchemaCatalog.read(connection, database: database)
            }
        }
        var problems: [String] = []
        let present = Set(catalog.tables.map(\.name))
        for table in entry.tables where !present.contains(table.name) {
            problems.append("table `\(table.name)` is missing")
        }
        for table in catalog.tables where entry.table(table.name) == nil {
            problems.append("table `\(table.name)` is not in the backup")
        }
        if let objects = entry.objects {
            let definitions = try await BlockingPool.shared.run {
                try withContext("Reading the restored objects of `\(database)`", database: database) {
                    let connection = try Session.open(server)
                    defer { connection.close() }
                    return try ObjectDefinition.all(connection, in: database)
                }
            }
            problems += objectProblems(definitions, expected: objects)
        }
        let tables = catalog.tables.filter { entry.table($0.name) != nil }
        let task = progress.task("check \(database)", total: Int64(tables.count), unit: .items)
        let computed = try await DatabaseChecksums.compute(
            server: server, database: database, tables: tables,
            workers: workers
        ) { task.advance(by: 1) }
        task.finish()
        for table in entry.tables {
            guard let sum = computed[table.name] else { continue }
            if sum != table.checksum {
                problems.append("table `\(table.name)` has \(sum), the backup has \(table.checksum)")
            }
        }
        if !problems.isEmpty {
            throw MetaDumpError(
                .verificationFailed, action: "Checking restored database `\(database)` against the backup",
                reason: problems.joined(separator: "; "), database: database,
                remedy: "The restored copy is left in `\(database)` for inspection; the live data was not replaced.")
        }
    }
}
