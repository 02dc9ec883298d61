import BlockingWork
import Foundation
import TerminalProgress

/// What verifying a backup directory found.
public struct VerificationReport: Sendable {
    /// The directory verified.
    public var directory: String
    /// The manifest, when it parsed.
    public var manifest: BackupManifest?
    /// Every problem found, each one sentence; empty when the backup is sound.
    public var problems: [String]
    /// Bytes read and hashed.
    public var bytesChecked: Int64
    /// Tables whose CREATE TABLE and row tuples were checked.
    public var tablesChecked: Int

    /// Whether no problem was found.
    public var isValid: Bool { problems.isEmpty }
}

/// Checks a backup directory without a server: manifest, file sizes and SHA-256, and the SQL itself.
///
/// Each SQL file is read once, streaming (never loaded whole): it is hashed and
/// parsed into statements (quotes, escapes, backticks and comments handled), and
/// for every table of the manifest the file must hold its `CREATE TABLE` and
/// exactly as many `INSERT` row tuples as the manifest's row count. Files are
/// checked in parallel. The exit code is the caller's business.
public struct BackupVerifier: Sendable {
    /// Where progress goes.
    public var progress: ProgressReporter

    /// Creates a verifier.
    public init(progress: ProgressReporter = .silent) {
        self.progress = progress
    }

    /// Verifies the backup in `directory`.
    public func verify(_ directory: String) async -> VerificationReport {
        await verifyAndScan(directory).report
    }

    /// Verifies and also returns each file's statement map, which restore reuses.
    func verifyAndScan(_ directory: String) async -> (report: VerificationReport, scans: [String: DumpFileScan]) {
        var report = VerificationReport(
            directory: directory, manifest: nil, problems: [], bytesChecked: 0, tablesChecked: 0)
        let manifest: BackupManifest
        do {
            manifest = try BackupManifest.read(from: directory)
        } catch {
            report.problems.append("\(error)")
            return (report, [:])
        }
        report.manifest = manifest
        if let leftovers = try? FileManager.default.contentsOfDirectory(atPath: directory).filter({
            $0.hasSuffix(".partial")
        }),
            !leftovers.isEmpty
        {
            report.problems.append(
                "The directory holds leftovers of an interrupted write: \(leftovers.sorted().joined(separator: ", ")).")
        }
        let progress = self.progress
        let results = try? await BlockingPool.shared.map(
            manifest.databases, width: max(1, manifest.databases.count)
        ) {
            database -> (String, DumpFileScan?, [String]) in
            Self.check(database, in: directory, dumper: manifest.dumper, progress: progress)
        }
        var scans: [String: DumpFileScan] = [:]
        for (name, scan, problems) in results ?? [] {
            report.problems += problems
            if let scan {
                scans[name] = scan
                report.bytesChecked += scan.size
            }
        }
        report.tablesChecked = manifest.databases.reduce(0) { $0 + $1.tables.count }
        return (report, scans)
    }

    /// Checks one database's file against its manifest entry; blocking.
    static func check(
        _ database: BackupManifest.Database, in directory: String, dumper: BackupDumper,
        progress: ProgressReporter
    ) -> (String, DumpFileScan?, [String]) {
        let file = database.file.name
        let path = directory + "/" + file
        var problems: [String] = []
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else {
            return (database.name, nil, ["File \(file) of database `\(database.name)` is missing."])
        }
        let size = (attributes[.size] as? NSNumber)?.int64Value ?? -1
        if size != database.file.size {
            problems.append(
                "File \(file) has \(size) bytes, but the manifest says \(database.file.size): it was truncated or changed."
            )
        }
        let task = progress.task("verify \(file)", total: size, unit: .bytes)
        let scan: DumpFileScan
        do {
            // Only native files are loaded statement by statement; keep the map only for them.
            scan = try DumpFileScan.read(path, task: task, recordStatements: dumper == .native, dumper: dumper)
        } catch {
            task.finish("failed")
            return (database.name, nil, problems + ["File \(file) cannot be read: \(error)"])
        }
        task.finish()
        if scan.sha256 != database.file.sha256 {
            problems.append(
                "File \(file) has SHA-256 \(scan.sha256), but the manifest says \(database.file.sha256): its content changed."
            )
        }
        if let open = scan.openState {
            problems.append("File \(file) ends \(open): it is truncated.")
        }
        for foreign in scan.foreign {
            problems.append(
                "File \(file) holds a statement at byte \(foreign.offset) that the \(dumper.rawValue) "
                    + "dumper never writes (\(foreign.description)): the file was changed, and nothing of it will be run."
            )
        }
        if scan.foreignCount > scan.foreign.count {
            problems.append("File \(file) holds \(scan.foreignCount - scan.foreign.count) more such statements.")
        }
        let viewNames = Set(database.views.map(\.name))
        for table in database.tables {
            let creates = scan.creates[table.name, default: 0]
            if creates == 0 {
                problems.append("Table `\(database.name)`.`\(table.name)` has no CREATE TABLE in \(file).")
            }
            let tuples = scan.tuples[table.name, default: 0]
            if tuples != table.rowCount {
                problems.append(
                    "Table `\(database.name)`.`\(table.name)` has \(tuples) rows in \(file), but the manifest says \(table.rowCount)."
                )
            }
        }
        let known = Set(database.tables.map(\.name))
        for name in scan.tuples.keys.sorted() where !known.contains(name) {
            problems.append("File \(file) inserts rows into `\(name)`, which the manifest does not list.")
        }
        for name in scan.creates.keys.sorted() where !known.contains(name) && !viewNames.contains(name) {
            problems.append("File \(file) creates table `\(name)`, which the manifest does not list.")
        }
        for view in database.views where !scan.views.contains(view.name) {
            problems.append("View `\(database.name)`.`\(view.name)` has no CREATE VIEW in \(file).")
        }
        if let objects = database.objects {
            problems += checkObjects(objects, of: database.name, in: scan, file: file, hashed: dumper == .native)
        }
        return (database.name, scan, problems)
    }

    /// Checks that the file creates every object of the manifest (and, for native files, with the definition
    /// whose checksum the manifest records), and no other.
    static func checkObjects(
        _ objects: [BackupManifest.Object], of database: String, in scan: DumpFileScan, file: String, hashed: Bool
    ) -> [String] {
        var problems: [String] = []
        var listed: Set<String> = []
        for object in objects {
            let key = DumpFileScan.objectKey(object.kind, object.name)
            listed.insert(key)
            guard let hashes = scan.objectCreates[key], !hashes.isEmpty else {
                problems.append(
                    "The \(object.kind.rawValue) `\(database)`.`\(object.name)` has no CREATE statement in \(file).")
                continue
            }
            if hashed && !hashes.contains(object.sha256) {
                problems.append(
                    "The definition of \(object.kind.rawValue) `\(database)`.`\(object.name)` in \(file) does not have the checksum the manifest records: it was changed."
                )
            }
        }
        for key in scan.objectCreates.keys.sorted() where hashed && !listed.contains(key) {
            let name = key.split(separator: "\u{0}", maxSplits: 1).last.map(String.init) ?? key
            problems.append("File \(file) creates `\(name)`, which the manifest does not list.")
        }
        return problems
    }
}

/// The statements of one dump file, as one streaming pass found them.
struct DumpFileScan: Sendable {
    /// One statement's place and kind.
    struct Statement: Sendable {
        var offset: Int64
        var length: Int
        var kind: StatementKind
        var tuples: Int
        var shape: StatementShape
    }

    var size: Int64
    var sha256: String
    /// `CREATE TABLE` statements per table.
    var creates: [String: Int] = [:]
    /// INSERT row tuples per table.
    var tuples: [String: Int64] = [:]
    /// Views created.
    var views: Set<String> = []
    /// The SHA-256 of each `CREATE` of a view, trigger or routine (native files; empty strings otherwise), by
    /// ``objectKey(_:_:)``.
    var objectCreates: [String: [String]] = [:]

    /// The key of an object in ``objectCreates``: its statement class (procedures, functions and events share
    /// one) and its name.
    static func objectKey(_ kind: ObjectDefinition.Kind, _ name: String) -> String {
        let group =
            switch kind {
            case .view: "view"
            case .trigger: "trigger"
            case .procedure, .function, .event: "routine"
            }
        return group + "\u{0}" + name
    }
    /// Where the file ended, if not cleanly between statements.
    var openState: String?
    /// Every statement, in file order.
    var statements: [Statement] = []
    /// The first statements whose shape the dumper never writes (see ``StatementShape``).
    var foreign: [(offset: Int64, description: String)] = []
    /// How many such statements there are in all.
    var foreignCount = 0

    /// Reads, hashes and parses the file at `path`.
    static func read(
        _ path: String, task: ProgressTask? = nil, recordStatements: Bool = true,
        dumper: BackupDumper = .native
    ) throws -> DumpFileScan {
        var scanner = SQLStatementScanner(collectText: false)
        var scan = DumpFileScan(size: 0, sha256: "")
        var objectStatements: [(key: String, offset: Int64, length: Int)] = []
        func record(_ statement: ScannedStatement) {
            switch statement.shape {
            case .createView(let name):
                objectStatements.append((objectKey(.view, name), statement.offset, statement.length))
            case .createTrigger(let name):
                objectStatements.append((objectKey(.trigger, name), statement.offset, statement.length))
            case .createRoutine(let name):
                objectStatements.append((objectKey(.procedure, name), statement.offset, statement.length))
            default: break
            }
            switch statement.kind {
            case .createTable(let table): scan.creates[table, default: 0] += 1
            case .insert(let table): scan.tuples[table, default: 0] += Int64(statement.tuples)
            case .createView(let view): scan.views.insert(view)
            default: break
            }
            if !statement.terminated { scan.openState = scan.openState ?? "in the middle of a statement" }
            if !statement.shape.isWritten(by: dumper) {
                scan.foreignCount += 1
                if scan.foreign.count < 5 {
                    let description =
                        if case .unknown(let words) = statement.shape { words } else {
                            "\(statement.shape)"
                        }
                    scan.foreign.append((statement.offset, description))
                }
            }
            if recordStatements {
                scan.statements.append(
                    Statement(
                        offset: statement.offset, length: statement.length, kind: statement.kind,
                        tuples: statement.tuples, shape: statement.shape))
            }
        }
        let (size, sha) = try FileDigest.read(path) { chunk in
            scanner.feed(chunk, record)
            task?.advance(by: Int64(chunk.count))
        }
        if let open = scanner.describeOpenState, open != "in the middle of a statement" {
            scan.openState = open
        }
        scanner.finish(record)
        scan.size = size
        scan.sha256 = sha
        let handle = dumper == .native ? FileHandle(forReadingAtPath: path) : nil
        defer { try? handle?.close() }
        for statement in objectStatements {
            var hash = ""
            if let handle {
                try handle.seek(toOffset: UInt64(statement.offset))
                let data = try handle.read(upToCount: statement.length) ?? Data()
                hash = ObjectDefinition.statementHash(String(decoding: data, as: UTF8.self))
            }
            scan.objectCreates[statement.key, default: []].append(hash)
        }
        return scan
    }
}
