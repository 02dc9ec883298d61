import Crypto
import Foundation

/// Which program wrote a backup's SQL files.
public enum BackupDumper: String, Sendable, Codable, CaseIterable {
    /// MetaDump's own dumper over MetaDB (the default): parallel, streaming, exact.
    case native
    /// `mariadb-dump` or `mysqldump`, whichever is installed.
    case mysqldump
}

/// `manifest.json`: what a backup holds and how to check it, written last.
///
/// A backup directory without a manifest is incomplete by definition. For
/// every database the manifest records its SQL file (name, size, SHA-256) and
/// for every table the row count, a server-side content checksum taken in the
/// same snapshot as the dump, and a hash of its `SHOW CREATE TABLE`.
public struct BackupManifest: Sendable, Codable, Equatable {
    /// The manifest's file name inside a backup directory.
    public static let fileName = "manifest.json"
    /// The format written by this version.
    public static let currentFormat = 1

    /// The manifest format.
    public var formatVersion: Int
    /// The program that made the backup.
    public var tool: String
    /// Its version.
    public var toolVersion: String
    /// The dumper used.
    public var dumper: BackupDumper
    /// The dumper program's version line (`mariadb-dump  Ver …`), or the native dumper's version.
    public var dumperVersion: String
    /// The server as `user@host:port` (never a password).
    public var server: String
    /// The server's version string.
    public var serverVersion: String
    /// How table checksums were computed (``TableChecksum/algorithm``).
    public var checksumAlgorithm: String
    /// When the backup started.
    public var startedAt: Date
    /// When the last file was complete.
    public var finishedAt: Date
    /// `finishedAt - startedAt`, in seconds.
    public var durationSeconds: Double
    /// One entry per database, in the order given.
    public var databases: [Database]

    /// One database of a backup.
    public struct Database: Sendable, Codable, Equatable {
        /// The database name at backup time.
        public var name: String
        /// Its default character set and collation, used to create it on restore.
        public var characterSet: String
        public var collation: String
        /// The SQL file.
        public var file: File
        /// The base tables, by name.
        public var tables: [Table]
        /// The views, by name.
        public var views: [View]
        /// Every view, trigger, procedure, function and event, in creation order (nil in backups made before
        /// objects were recorded).
        public var objects: [Object]? = nil

        /// The table named `name`.
        public func table(_ name: String) -> Table? { tables.first { $0.name == name } }
    }

    /// A file of a backup.
    public struct File: Sendable, Codable, Equatable {
        /// The file name inside the backup directory.
        public var name: String
        /// Its size in bytes.
        public var size: Int64
        /// Its SHA-256, lower-case hex.
        public var sha256: String
    }

    /// A base table of a backup.
    public struct Table: Sendable, Codable, Equatable {
        /// The table name.
        public var name: String
        /// Row count and content hashes, taken in the dump's snapshot.
        public var checksum: TableChecksum
        /// SHA-256 of `SHOW CREATE TABLE` without its `AUTO_INCREMENT=` option.
        public var createSHA256: String
        /// The columns the checksum covers (stored columns, in order).
        public var columns: [String]

        /// The number of rows.
        public var rowCount: Int64 { checksum.rowCount }
    }

    /// A view of a backup.
    public struct View: Sendable, Codable, Equatable {
        /// The view name.
        public var name: String
        /// The original `DEFINER`, which restore does not reuse.
        public var definer: String?
    }

    /// A view, trigger, procedure, function or event of a backup.
    public struct Object: Sendable, Codable, Equatable {
        /// What kind of object.
        public var kind: ObjectDefinition.Kind
        /// Its name.
        public var name: String
        /// The definer as `user@host`, which restore keeps.
        public var definer: String?
        /// The table of a trigger.
        public var table: String?
        /// The sql_mode, client character set and collation it was created under.
        public var sqlMode: String?
        public var characterSetClient: String?
        public var collationConnection: String?
        /// SHA-256 of its `CREATE` statement (``ObjectDefinition/sha256``).
        public var sha256: String

        /// An entry known by kind only (a view of an older manifest).
        init(kind: ObjectDefinition.Kind) {
            self.kind = kind
            name = ""
            sha256 = ""
        }

        /// The entry for `definition`.
        public init(_ definition: ObjectDefinition) {
            kind = definition.kind
            name = definition.name
            definer = definition.definer
            table = definition.table
            sqlMode = definition.sqlMode
            characterSetClient = definition.characterSetClient
            collationConnection = definition.collationConnection
            sha256 = definition.sha256
        }
    }

    /// Objects of every database by kind, e.g. "1 view, 1 trigger, 1 procedure" ("no views, triggers or routines").
    public var objectSummary: String { Self.objectSummary(of: databases) }

    /// The objects of `databases` by kind, as ``objectSummary``.
    public static func objectSummary(of databases: [Database]) -> String {
        let all = databases.flatMap { $0.objects ?? $0.views.map { _ in Object(kind: .view) } }
        guard !all.isEmpty else { return "no views, triggers or routines" }
        return ObjectDefinition.Kind.allCases.compactMap { kind in
            let n = all.filter { $0.kind == kind }.count
            return n == 0 ? nil : "\(n) \(kind.rawValue)\(n == 1 ? "" : "s")"
        }.joined(separator: ", ")
    }

    /// The entry for database `name`.
    public func database(_ name: String) -> Database? { databases.first { $0.name == name } }

    // MARK: - Reading and writing

    /// Reads and decodes `<directory>/manifest.json`.
    public static func read(from directory: String) throws -> BackupManifest {
        let path = directory + "/" + fileName
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw MetaDumpError(
                .verificationFailed, action: "Reading the backup manifest",
                reason: "it is missing or unreadable, so the backup is incomplete", file: path,
                remedy: "Use a backup whose run finished, or take a new one.")
        }
        do {
            let manifest = try decoder.decode(BackupManifest.self, from: data)
            guard manifest.formatVersion <= currentFormat, manifest.checksumAlgorithm == TableChecksum.algorithm else {
                throw MetaDumpError(
                    .unsupported, action: "Reading the backup manifest",
                    reason:
                        "format \(manifest.formatVersion) with checksums \(manifest.checksumAlgorithm) is not what this tool writes (format \(currentFormat), \(TableChecksum.algorithm))",
                    file: path, remedy: "Use a newer oms-upgrade.")
            }
            return manifest
        } catch let error as MetaDumpError {
            throw error
        } catch {
            throw MetaDumpError(
                .verificationFailed, action: "Reading the backup manifest",
                reason: "it does not parse (\(error))", file: path,
                remedy: "The manifest was damaged; take a new backup.")
        }
    }

    /// Writes the manifest atomically: to a temporary file, synced, then renamed to `manifest.json`.
    public func write(to directory: String) throws {
        let path = directory + "/" + Self.fileName
        let data = try Self.encoder.encode(self)
        try AtomicFile.write(data, to: path)
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}

/// Hashes of definitions, independent of values that change with the data.
package enum DefinitionHash {
    /// SHA-256 (hex) of a `SHOW CREATE TABLE` text without its ` AUTO_INCREMENT=n` table option.
    package static func createTable(_ text: String) -> String {
        sha256(stripAutoIncrement(text))
    }

    /// The text without ` AUTO_INCREMENT=<digits>` (the table option, not the column attribute;
    /// the OceanBase kernel writes it ` AUTO_INCREMENT = <digits>`).
    static func stripAutoIncrement(_ text: String) -> String {
        var bytes = Array(text.utf8)
        // The table options follow the last ")" of the column list.
        guard let close = bytes.lastIndex(of: UInt8(ascii: ")")) else { return text }
        for key in [Array(" AUTO_INCREMENT=".utf8), Array(" AUTO_INCREMENT = ".utf8)] {
            var i = close
            while i + key.count <= bytes.count {
                if bytes[i..<(i + key.count)].elementsEqual(key) {
                    var j = i + key.count
                    while j < bytes.count && bytes[j] >= 0x30 && bytes[j] <= 0x39 { j += 1 }
                    bytes.removeSubrange(i..<j)
                    return String(decoding: bytes, as: UTF8.self)
                }
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// SHA-256 of the UTF-8 text, lower-case hex.
    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
