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

/// Dumps a database with the stock `mariadb-dump` or `mysqldump`, credentials only in a defaults file.
///
/// The file has no `CREATE DATABASE`/`USE` (one database, not `--databases`),
/// so it restores under any name. Checksums for the manifest are taken while
/// this tool holds `LOCK TABLES … READ` on every table for the whole dump, so
/// they describe exactly what the dump's snapshot saw (readers are not blocked).
/// Without the LOCK TABLES privilege, checksums are taken before and after the
/// dump and must agree. On the OceanBase kernel the triggers are written by this
/// tool after the dump (see ``triggerSection(_:skipTables:)``).
struct MysqldumpDumper: Sendable {
    var server: ConnectionOptions
    var tool: ClientTool
    var progress: ProgressReporter
    /// Tables left out of every database (`--ignore-table`; a snapshot's bookkeeping tables).
    var skipTables: Set<String> = []
    /// The private directory for mysqldump's option file; nil: ``DefaultsFile/defaultDirectory``.
    var optionFileDirectory: String?

    /// Dumps `database` into `path` (through `<path>.partial`).
    func dump(database: String, to path: String) async throws -> BackupManifest.Database {
        try await AsyncConnection.with(options: server) { coordinator in
            try await dump(database: database, to: path, coordinator: coordinator)
        }
    }

    /// Dumps `database` into `path` while `coordinator` holds the read locks and takes the checksums.
    private func dump(database: String, to path: String, coordinator: AsyncConnection)
        async throws -> BackupManifest.Database
    {
        let task = progress.task("mysqldump \(database)", total: nil, unit: .bytes)
        let (catalog, described, locked, hasEvents, oceanBase) = try await lockAndDescribe(
            database, coordinator: coordinator)
        let partial = path + ".partial"
        try await writeFile(
            partial, of: database, events: hasEvents,
            triggers: oceanBase ? Self.triggerSection(described.objects, skipTables: skipTables) : nil,
            coordinator: coordinator)

        let after = try await coordinator.withConnection { connection in
            try withContext("Finishing the dump of `\(database)`", database: database) {
                if locked {
                    try connection.execute("UNLOCK TABLES")
                    return described
                }
                try connection.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
                defer { _ = try? connection.execute("COMMIT") }
                return try Self.describe(connection, catalog: catalog)
            }
        }
        if after != described {
            unlink(partial)
            throw MetaDumpError(
                .inconsistent, action: "Dumping `\(database)`",
                reason: "the tables changed while the dump ran (checksums before and after differ)",
                database: database, remedy: "Stop OMS (the container) and run the backup again.")
        }
        let (size, sha) = try FileDigest.read(partial)
        guard rename(partial, path) == 0 else {
            throw MetaDumpError(
                .fileSystem, action: "Renaming the finished dump file",
                reason: String(cString: strerror(errno)), database: database, file: path)
        }
        task.update(completed: size)
        task.finish()
        var views: [BackupManifest.View] = []
        for view in described.views { views.append(BackupManifest.View(name: view.name, definer: view.definer)) }
        return BackupManifest.Database(
            name: database, characterSet: catalog.characterSet, collation: catalog.collation,
            file: BackupManifest.File(name: (path as NSString).lastPathComponent, size: size, sha256: sha),
            tables: described.tables, views: views,
            objects: ObjectDefinition.creationOrder(described.objects).map(BackupManifest.Object.init))
    }

    /// Locks `database`'s tables for reading on `coordinator` (or, where locks do not hold writers, takes a
    /// consistent snapshot), and reads its definitions and checksums: the catalog, the description, whether
    /// the locks are held, whether the server has an events table, and whether it is the OceanBase kernel.
    private func lockAndDescribe(_ database: String, coordinator: AsyncConnection) async throws
        -> (SchemaCatalog, Description, locked: Bool, hasEvents: Bool, oceanBase: Bool)
    {
        try await coordinator.withConnection { [skipTables] connection in
            try withContext("Preparing to dump `\(database)`", database: database) {
                try Session.normalize(connection)
                Session.limitLockWait(connection, seconds: 30)
                var catalog = try SchemaCatalog.read(connection, database: database)
                catalog.tables.removeAll { skipTables.contains($0.name) }
                if connection.isOceanBase {
                    try Self.refuseDatabaseNamedWithBacktick(catalog)
                    try Self.refuseGeneratedColumns(catalog)
                }
                var locked = false
                // The OceanBase kernel accepts LOCK TABLES but writers go on: compare before and after there.
                if !catalog.tables.isEmpty && !connection.isOceanBase {
                    // Views too: a session holding LOCK TABLES may only touch what it locked.
                    let names = catalog.tables.map(\.name) + catalog.views
                    let list = names.map { SQL.qualified(database, $0) + " READ" }.joined(separator: ", ")
                    locked = (try? connection.execute("LOCK TABLES " + list)) != nil
                }
                if !locked { try connection.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT") }
                let described = try Self.describe(connection, catalog: catalog)
                if !locked { try connection.execute("COMMIT") }
                return (
                    catalog, described, locked, try ObjectDefinition.hasEventsTable(connection),
                    connection.isOceanBase
                )
            }
        }
    }

    /// Runs the tool into `partial` (created 0600, synced); on failure removes it and releases the locks.
    ///
    /// With `triggers`, the tool dumps no triggers and that text is appended after its output instead.
    private func writeFile(
        _ partial: String, of database: String, events: Bool, triggers: String?, coordinator: AsyncConnection
    ) async throws {
        let defaults = try DefaultsFile(server: server, in: optionFileDirectory)
        defer { defaults.remove() }
        var arguments = [
            defaults.argument, "--single-transaction", "--skip-lock-tables", "--hex-blob",
            "--default-character-set=utf8mb4", "--routines", triggers == nil ? "--triggers" : "--skip-triggers",
            events ? "--events" : "--skip-events",
            "--no-tablespaces",
            "--tz-utc", "--net-buffer-length=1048576",
        ]
        if !tool.isMariaDB { arguments += ["--set-gtid-purged=OFF", "--column-statistics=0"] }
        arguments += skipTables.sorted().map { "--ignore-table=\(database).\($0)" }
        arguments += ["--", database]

        let fd = open(partial, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw MetaDumpError(
                .fileSystem, action: "Creating the dump file", reason: String(cString: strerror(errno)),
                database: database, file: partial)
        }
        do {
            try await tool.run(
                arguments, input: nil, output: FileDescriptor(rawValue: fd),
                action: "Dumping `\(database)` with \((tool.path as NSString).lastPathComponent)",
                database: database, file: partial)
            if let triggers {
                let output = FileDescriptor(rawValue: fd)
                do {
                    _ = try output.seek(offset: 0, from: .end)
                    _ = try output.writeAll(Array(triggers.utf8))
                } catch {
                    throw MetaDumpError(
                        .fileSystem, action: "Writing the triggers of `\(database)` to the dump file",
                        reason: "\(error)", database: database, file: partial)
                }
            }
            guard fsync(fd) == 0 else {
                throw MetaDumpError(
                    .fileSystem, action: "Syncing the dump file", reason: String(cString: strerror(errno)),
                    database: database, file: partial)
            }
            close(fd)
        } catch {
            close(fd)
            unlink(partial)
            _ = try? await coordinator.execute("UNLOCK TABLES")
            throw error
        }
    }

    /// What the manifest records of a database: table checksums and definitions, view definers.
    struct Description: Sendable, Equatable {
        var tables: [BackupManifest.Table]
        var views: [ViewDefinition]
        /// Views, triggers, routines and events, as the server defines them.
        var objects: [ObjectDefinition]
    }

    static func describe(_ connection: Connection, catalog: SchemaCatalog) throws -> Description {
        var tables: [BackupManifest.Table] = []
        for table in catalog.tables {
            let create = try connection.showCreateTable(catalog.database, table.name)
            let sum = try TableChecksum.compute(connection, database: catalog.database, table: table)
            tables.append(
                BackupManifest.Table(
                    name: table.name, checksum: sum, createSHA256: DefinitionHash.createTable(create),
                    columns: table.storedColumns.map(\.name)))
        }
        var views: [ViewDefinition] = []
        for view in catalog.views {
            views.append(
                ViewDefinition(
                    name: view, showCreateView: try connection.showCreateView(catalog.database, view),
                    database: catalog.database))
        }
        return Description(
            tables: tables, views: views, objects: try ObjectDefinition.all(connection, in: catalog.database))
    }
}
