import BlockingWork
import Foundation
import MetaDB
import TerminalProgress

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Loads native dump files in parallel on several connections.
///
/// The verify pass already mapped every statement of each file. The table
/// definitions run first, in file order, on one connection; then the INSERT
/// statements, in chunks of about 8 MiB of consecutive statements of one table,
/// go to every worker connection, each chunk in one transaction (the chunks of
/// different tables interleaved, biggest tables first, so that the workers do
/// not all contend for one table's index); views, triggers and other trailing
/// statements run last, in file order. A
/// worker runs the file's header settings (`SET NAMES`, `TIME_ZONE`,
/// `SQL_MODE`…) and turns off unique and foreign-key checks and binary logging
/// where permitted. Statements are read with `pread`, never the whole file.
struct NativeLoader: Sendable {
    /// One file to load.
    struct FileJob: Sendable {
        var entry: BackupManifest.Database
        var loadDatabase: String
        var path: String
        var scan: DumpFileScan
    }

    var server: ConnectionOptions
    var workers: Int
    var progress: ProgressReporter

    /// A run of consecutive INSERT statements of one table, loaded in one transaction.
    private struct Chunk: Sendable {
        var file: Int
        var table: String
        var statements: [DumpFileScan.Statement]
    }

    private struct FilePlan: Sendable {
        var session: [DumpFileScan.Statement] = []
        var definitions: [DumpFileScan.Statement] = []
        var trailing: [DumpFileScan.Statement] = []
    }

    private final class OpenFiles: Sendable {
        // Sendable: descriptors are set once in init; pread is safe from any thread.
        let descriptors: [Int32]
        init(_ paths: [String]) throws {
            var fds: [Int32] = []
            for path in paths {
                let fd = open(path, O_RDONLY | O_CLOEXEC)
                if fd < 0 {
                    for fd in fds { close(fd) }
                    throw MetaDumpError(
                        .fileSystem, action: "Opening \(path)", reason: String(cString: strerror(errno)), file: path)
                }
                fds.append(fd)
            }
            descriptors = fds
        }
        deinit { for fd in descriptors { close(fd) } }
    }

    /// Bytes of INSERT statements per chunk (one transaction on one connection).
    static let chunkBytes = 8 << 20

    /// Loads every file: definitions first on one connection, then row chunks on all workers, then views.
    ///
    /// Every statement must have a shape the native dumper writes (see ``StatementShape``); otherwise nothing runs.
    func load(_ files: [FileJob]) async throws {
        var plans: [FilePlan] = []
        var chunks: [Chunk] = []
        for (index, file) in files.enumerated() {
            let (plan, fileChunks) = try Self.plan(file, index: index)
            plans.append(plan)
            chunks += fileChunks
        }
        chunks = Self.interleaved(chunks)
        let opened = try OpenFiles(files.map(\.path))
        let tasks = files.map { progress.task("restore \($0.loadDatabase)", total: $0.scan.size, unit: .bytes) }
        try await loadDefinitions(files, plans: plans, opened: opened, tasks: tasks)
        try await loadRows(chunks, files: files, plans: plans, opened: opened, tasks: tasks)
        try await loadTrailing(files, plans: plans, opened: opened, tasks: tasks)
        for task in tasks { task.finish() }
    }

    /// Sorts one file's statements into session settings, definitions, row chunks and trailing statements.
    private static func plan(_ file: FileJob, index: Int) throws -> (FilePlan, [Chunk]) {
        var chunks: [Chunk] = []
        let views = Set(file.entry.views.map(\.name))
        var plan = FilePlan()
        var seenTable = false
        var current: Chunk?
        var currentBytes = 0
        for statement in file.scan.statements {
            // Verify rejected such files already; a loader never runs a statement it does not know.
            guard statement.shape.isNative else {
                throw MetaDumpError(
                    .verificationFailed, action: "Restoring \(file.path)",
                    reason: "the statement at byte \(statement.offset) is not one the native "
                        + "dumper writes",
                    file: file.path, remedy: "Nothing was run. Use another backup.")
            }
            switch statement.kind {
            case .set:
                // Header SETs prepare every connection; later ones (a trigger's sql_mode, the footer) run in order.
                if seenTable { plan.trailing.append(statement) } else { plan.session.append(statement) }
            case .createTable(let t) where !views.contains(t), .dropTable(let t) where !views.contains(t):
                seenTable = true
                plan.definitions.append(statement)
            case .insert(let t):
                seenTable = true
                if let chunk = current, chunk.table != t || currentBytes >= Self.chunkBytes {
                    chunks.append(chunk)
                    current = nil
                }
                if current == nil {
                    current = Chunk(file: index, table: t, statements: [])
                    currentBytes = 0
                }
                current?.statements.append(statement)
                currentBytes += statement.length
            default:
                // Views, triggers, routines and events after every table, in file order (dependency order).
                seenTable = true
                plan.trailing.append(statement)
            }
        }
        if let current { chunks.append(current) }
        return (plan, chunks)
    }

    /// Creates the tables, in file order, on one connection.
    private func loadDefinitions(
        _ files: [FileJob], plans planList: [FilePlan], opened: OpenFiles, tasks: [ProgressTask]
    ) async throws {
        let server = self.server
        try await BlockingPool.shared.run {
            let connection = try withContext("Connecting to restore") { try Session.open(server) }
            defer { connection.close() }
            var buffer: [UInt8] = []
            for (index, file) in files.enumerated() {
                try withContext(
                    "Creating the tables of `\(file.loadDatabase)`", database: file.loadDatabase, file: file.path
                ) {
                    try Self.enter(
                        connection, database: file.loadDatabase, session: planList[index].session,
                        fd: opened.descriptors[index], buffer: &buffer)
                    for statement in planList[index].definitions {
                        try connection.execute(
                            try Self.read(statement, fd: opened.descriptors[index], buffer: &buffer, path: file.path))
                        tasks[index].advance(by: Int64(statement.length))
                    }
                }
            }
        }
    }

    /// Loads the rows: chunks of consecutive INSERTs, each in its own transaction, on every worker.
    private func loadRows(
        _ chunks: [Chunk], files: [FileJob], plans planList: [FilePlan], opened: OpenFiles, tasks: [ProgressTask]
    ) async throws {
        let server = self.server
        struct WorkerState {
            var connection: Connection
            var file: Int?
            var buffer: [UInt8]
        }
        try await BlockingPool.shared.forEach(chunks, workers: workers) {
            let connection = try withContext("Connecting to restore") { try Session.open(server) }
            return WorkerState(connection: connection, file: nil, buffer: [])
        } finish: { state in
            state.connection.close()
        } _: { state, chunk in
            let file = files[chunk.file]
            try withContext(
                "Restoring rows of `\(file.loadDatabase)`.`\(chunk.table)`", database: file.loadDatabase,
                table: chunk.table, file: file.path
            ) {
                if state.file != chunk.file {
                    try Self.enter(
                        state.connection, database: file.loadDatabase, session: planList[chunk.file].session,
                        fd: opened.descriptors[chunk.file], buffer: &state.buffer)
                    state.file = chunk.file
                }
                for statement in chunk.statements {
                    let sql = try Self.read(
                        statement, fd: opened.descriptors[chunk.file], buffer: &state.buffer, path: file.path)
                    try state.connection.execute(sql)
                    tasks[chunk.file].advance(by: Int64(statement.length))
                }
                try state.connection.execute("COMMIT")
            }
        }
    }

    /// Runs the views and anything else after the tables, in file order, on one connection per file.
    private func loadTrailing(
        _ files: [FileJob], plans: [FilePlan], opened: OpenFiles, tasks: [ProgressTask]
    ) async throws {
        let server = self.server
        for (index, file) in files.enumerated() where !plans[index].trailing.isEmpty {
            let fd = opened.descriptors[index]
            let plan = plans[index]
            try await BlockingPool.shared.run {
                try withContext(
                    "Restoring the views, triggers and routines of `\(file.loadDatabase)`", database: file.loadDatabase,
                    file: file.path
                ) {
                    let connection = try Session.open(server)
                    defer { connection.close() }
                    var buffer: [UInt8] = []
                    try Self.enter(
                        connection, database: file.loadDatabase, session: plan.session, fd: fd, buffer: &buffer)
                    try connection.execute("SET autocommit = 1")
                    for statement in plan.trailing {
                        let sql = try Self.read(statement, fd: fd, buffer: &buffer, path: file.path)
                        if case .createTrigger(let name) = statement.shape {
                            try connection.createTriggerTolerantly(sql, database: file.loadDatabase, name: name)
                        } else {
                            try connection.execute(sql)
                        }
                        tasks[index].advance(by: Int64(statement.length))
                    }
                }
            }
        }
    }

    /// Orders chunks so that the workers spread over different tables (biggest tables first) instead of all
    /// inserting into one table at a time, which contends on that table's index.
    private static func interleaved(_ chunks: [Chunk]) -> [Chunk] {
        var byTable: [[Chunk]] = []
        var index: [String: Int] = [:]
        for chunk in chunks {
            let key = "\(chunk.file)/\(chunk.table)"
            if let i = index[key] {
                byTable[i].append(chunk)
            } else {
                index[key] = byTable.count
                byTable.append([chunk])
            }
        }
        byTable.sort { $0.count > $1.count }
        var result: [Chunk] = []
        result.reserveCapacity(chunks.count)
        var round = 0
        while result.count < chunks.count {
            for group in byTable where round < group.count { result.append(group[round]) }
            round += 1
        }
        return result
    }

    /// Makes `connection` ready for a file's statements: its database, header settings, bulk settings, no autocommit.
    private static func enter(
        _ connection: Connection, database: String, session: [DumpFileScan.Statement], fd: Int32,
        buffer: inout [UInt8]
    ) throws {
        _ = try? connection.execute("COMMIT")
        try connection.execute("USE \(SQL.quoteIdentifier(database))")
        for statement in session {
            try connection.execute(try read(statement, fd: fd, buffer: &buffer, path: database))
        }
        Session.prepareForBulkLoad(connection)
        try connection.execute("SET autocommit = 0")
    }

    /// Reads one statement's text from the file.
    private static func read(_ statement: DumpFileScan.Statement, fd: Int32, buffer: inout [UInt8], path: String) throws
        -> String
    {
        if buffer.count < statement.length { buffer = [UInt8](repeating: 0, count: statement.length) }
        var done = 0
        try buffer.withUnsafeMutableBytes { raw in
            guard let base = raw.baseAddress else { return }
            while done < statement.length {
                let n = pread(
                    fd, base + done, statement.length - done, off_t(statement.offset) + off_t(done))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 {
                    throw MetaDumpError(
                        .fileSystem, action: "Reading a statement at byte \(statement.offset)",
                        reason: n == 0 ? "unexpected end of file" : String(cString: strerror(errno)), file: path)
                }
                done += n
            }
        }
        guard let text = String(validating: buffer[0..<statement.length], as: UTF8.self) else {
            throw MetaDumpError(
                .unsupported, action: "Reading the statement at byte \(statement.offset)",
                reason: "it is not valid UTF-8", file: path,
                remedy: "Restore this file with the stock client: mariadb <database> < file.")
        }
        return text
    }
}
