import Foundation
import MetaDB
import MetaDump

/// The metadata databases' views, triggers, routines and events as they were at the stop, kept in the run directory.
///
/// The snapshot databases hold base tables only, so the backup written from them after the new OMS is up
/// takes its objects from here: read from the live databases while the old OMS is stopped and before the
/// new image's init can change them (a definition read, not work proportional to data).
enum ObjectCapture {
    /// Reads the objects of every database and writes them, 0600, into the run directory; returns how many.
    static func capture(_ context: RunContext) async throws -> Int {
        let objects = try await read(context.databases.all, server: context.metaOptions)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try DurableFile.writeAtomically(try encoder.encode(objects), to: context.directory.objectsURL)
        return objects.values.reduce(0) { $0 + $1.count }
    }

    /// The objects of each of `databases`, read on one connection with one query per kind for all of them.
    ///
    /// At the stop this runs beside the catch-up's own sessions: one connection, not one per database,
    /// and three `information_schema` queries, not three per database (each is tens to hundreds of
    /// milliseconds on the OceanBase kernel, and a burst of new connections can wait on the server's
    /// accept queue).
    static func read(_ databases: [String], server: ConnectionOptions) async throws -> [String: [ObjectDefinition]] {
        try await RestoreCheck.objects(server: server, databases: databases)
    }

    /// The objects captured at the stop, or nil when this run has none recorded (a run of an older version).
    static func read(_ context: RunContext) throws -> [String: [ObjectDefinition]]? {
        guard let data = FileManager.default.contents(atPath: context.directory.objectsURL.path) else { return nil }
        return try JSONDecoder().decode([String: [ObjectDefinition]].self, from: data)
    }

    /// Checks that the live databases hold exactly the objects captured at the stop; returns how many there are.
    static func verifyLive(_ context: RunContext, expected: [String: [ObjectDefinition]]) async throws -> Int {
        var problems: [String] = []
        let live = try await read(context.databases.all, server: context.metaOptions)
        for database in context.databases.all {
            let found = live[database] ?? []
            let wanted = (expected[database] ?? []).map(BackupManifest.Object.init)
            problems += RestoreCheck.objectProblems(found, expected: wanted).map { "\(database): \($0)" }
        }
        guard problems.isEmpty else {
            throw EngineError.rollbackBlocked(
                "the views, triggers or routines differ from what was recorded at the stop: \(problems.joined(separator: "; ")). Their definitions are in \(context.directory.objectsURL.path)"
            )
        }
        return expected.values.reduce(0) { $0 + $1.count }
    }
}
