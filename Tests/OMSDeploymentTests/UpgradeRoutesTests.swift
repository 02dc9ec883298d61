import Foundation
import Testing

@testable import OMSDeployment

@Suite("upgrade route table")
struct UpgradeRoutesTests {
    let routes: UpgradeRoutes

    init() throws {
        routes = try UpgradeRoutes.bundled()
    }

    private func version(_ text: String) -> OMSVersion { OMSVersion(parsing: text)! }

    @Test("route notes cite the vendor's documents, never a file of this repository")
    func notesCiteNoRepositoryPath() throws {
        let pairs = [
            ("3.2.2", "3.3.0"), ("3.2.2", "4.0.0"), ("4.1.0", "4.2.3"), ("4.2.4", "4.2.6"), ("4.1.1", "4.2.11"),
        ]
        var notes: [String] = []
        for (from, to) in pairs { notes += try routes.route(from: version(from), to: version(to)).notes }
        #expect(!notes.isEmpty)
        for note in notes {
            #expect(!note.contains(".md") && !note.contains("/") && !note.contains("seed"), "\(note)")
        }
        let guide = try routes.route(from: version("3.2.2"), to: version("3.3.0")).notes
        #expect(guide.contains { $0.contains("\"Upgrade Guide\"") && $0.contains("\"Upgrade procedure\"") })
    }

    @Test("the compiled-in table is the data file, word for word (else run scripts/embed-routes.sh)")
    func embeddedTableMatchesTheDataFile() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appending(path: "Sources/OMSDeployment/Resources/upgrade-routes.json")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(
            text.trimmingCharacters(in: .newlines) == UpgradeRoutes.embeddedJSON,
            "UpgradeRoutes+Table.swift is stale: run scripts/embed-routes.sh")
        #expect(try UpgradeRoutes(json: Data(text.utf8)).entries == routes.entries)
    }

    @Test(
        "documented routes are allowed",
        arguments: [
            ("3.2.2", "3.3.0"),
            ("3.2.2", "4.0.0"),
            ("4.1.0", "4.2.3"), ("4.2.2", "4.2.3"),
            ("4.2.4", "4.2.6"), ("4.2.5", "4.2.6"),
            ("4.2.0", "4.2.9"), ("4.2.5", "4.2.9"), ("4.2.8", "4.2.9"),
            ("4.1.1", "4.2.11"), ("4.2.3", "4.2.11"), ("4.2.9", "4.2.12"), ("4.2.11", "4.3.0"),
            ("3.2.2", "oms:feature_4.0.0-ce_bp1"),
        ])
    func allowed(_ from: String, _ to: String) throws {
        let route = try routes.route(from: version(from), to: version(to))
        #expect(route.from == version(from) && route.to == version(to))
    }

    @Test(
        "undocumented routes are refused",
        arguments: [
            ("3.2.1", "3.3.0"), ("3.3.0", "4.0.0"), ("3.2.2", "4.1.1"), ("4.1.0", "4.1.1"),
            ("4.2.1", "4.2.3"), ("4.2.3", "4.2.6"), ("4.1.1", "4.2.9"), ("4.2.9", "4.2.9"),
            ("4.1.0", "4.2.11"), ("3.3.0", "4.2.11"), ("3.3.0", "3.2.2"), ("4.2.3", "4.2.7"),
        ])
    func refused(_ from: String, _ to: String) {
        #expect(throws: UpgradeRouteError.self) { try routes.route(from: version(from), to: version(to)) }
    }

    @Test("extras per row")
    func extras() throws {
        let seed = try routes.route(from: version("3.2.2"), to: version("3.3.0"))
        #expect(!seed.haOffDuringUpgrade && !seed.allNodes && seed.env.isEmpty)

        let four = try routes.route(from: version("3.2.2"), to: version("4.0.0"))
        #expect(four.haOffDuringUpgrade)
        #expect(four.notes.contains { $0.contains("dbType") })
        #expect(four.env.contains { $0.name == "IS_UPGRADE" && $0.value == "true" && !$0.confirmed })

        #expect(try routes.route(from: version("4.1.0"), to: version("4.2.3")).allNodes)
        #expect(try routes.route(from: version("4.2.4"), to: version("4.2.6")).haOffDuringUpgrade)
        #expect(try routes.route(from: version("4.2.5"), to: version("4.2.6")).notes.contains { $0.contains("4.2.5") })
        #expect(try routes.route(from: version("4.2.0"), to: version("4.2.9")).haOffDuringUpgrade)
        let latest = try routes.route(from: version("4.1.1"), to: version("4.2.11"))
        #expect(latest.haOffDuringUpgrade)
        #expect(latest.notes.contains { $0.contains("HA must be off") })
    }

    @Test("IS_UPGRADE only for targets from 3.3.1 on, always marked unconfirmed")
    func isUpgrade() throws {
        #expect(try routes.route(from: version("3.2.2"), to: version("3.3.0")).env.isEmpty)
        for (from, to) in [
            ("3.2.2", "4.0.0"), ("4.2.2", "4.2.3"), ("4.2.4", "4.2.6"), ("4.2.0", "4.2.9"), ("4.2.0", "4.2.11"),
        ] {
            let env = try routes.route(from: version(from), to: version(to)).env
            #expect(env.map(\.name) == ["IS_UPGRADE"])
            #expect(env.allSatisfy { !$0.confirmed && $0.note != nil })
        }
    }

    @Test("messages name the accepted sources or the hop to take first")
    func messages() throws {
        let hop = try #require(throws: UpgradeRouteError.self) {
            try routes.route(from: version("3.3.0"), to: version("4.2.3"))
        }
        #expect(hop.reason == .sourceNotAccepted(accepted: ["4.1.0-CE", "4.2.2-CE"], via: OMSVersion(4, 1, 0)))
        #expect(hop.description.contains("upgrade to 4.1.0-CE first, then to 4.2.3-CE"))

        let range = try #require(throws: UpgradeRouteError.self) {
            try routes.route(from: version("4.1.1"), to: version("4.2.9"))
        }
        #expect(range.description.contains("4.2.0-CE to 4.2.8-CE"))

        let fresh = try #require(throws: UpgradeRouteError.self) {
            try routes.route(from: version("4.1.0"), to: version("4.1.1"))
        }
        #expect(fresh.reason == .freshInstallOnly)
        #expect(fresh.description.contains("installed fresh"))

        let unknown = try #require(throws: UpgradeRouteError.self) {
            try routes.route(from: version("4.2.3"), to: version("4.2.7"))
        }
        #expect(unknown.description.contains("4.2.9-CE"))

        let backwards = try #require(throws: UpgradeRouteError.self) {
            try routes.route(from: version("3.3.0"), to: version("3.2.2"))
        }
        #expect(backwards.reason == .notAnUpgrade)

        let old = try #require(throws: UpgradeRouteError.self) {
            try routes.route(from: version("4.1.0"), to: version("4.2.11"))
        }
        #expect(old.description.contains("4.1.1-CE or later"))
    }

    @Test("the table is data: a table read from JSON drives the answers")
    func fromJSON() throws {
        let json =
            #"{"schemaVersion":1,"routes":[{"target":"9.9.9","sources":[{"from":"9.0.0","to":"9.9.8"}],"haOffDuringUpgrade":true}]}"#
        let custom = try UpgradeRoutes(json: Data(json.utf8))
        #expect(try custom.route(from: OMSVersion(9, 1, 0), to: OMSVersion(9, 9, 9)).haOffDuringUpgrade)
        #expect(throws: UpgradeRouteError.self) { try custom.route(from: OMSVersion(3, 2, 2), to: OMSVersion(3, 3, 0)) }
        #expect(throws: UpgradeRoutesLoadError.self) {
            try UpgradeRoutes(json: Data(#"{"schemaVersion":1,"routes":[{"sources":[]}]}"#.utf8))
        }
    }
}
