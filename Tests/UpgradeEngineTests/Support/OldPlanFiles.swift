import Foundation

/// `plan.json` files as the version before the plan/preflight split wrote them (issue 10), for the
/// compatibility tests: taken from real runs (the demo's single-node upgrade and a 2-node run on the
/// node bed), long strings and the manual commands shortened, nodes cut to two. Keys as written.
///
/// The files are the test target's resources (`Tests/UpgradeEngineTests/Resources`): the literals' text, plus a final newline.
enum OldPlanFiles {
    /// `scripts/demo.sh`'s run: one node, `metaEndpoint`/`metaEndpointParts` and `route`/`routeDetails` both there.
    static func singleNode() throws -> String { try text("old-single-node.plan") }

    /// A multi-node run (`apply --node`) with its `nodes`.
    static func multiNode() throws -> String { try text("old-multi-node.plan") }

    /// The resource `<name>.json` as text.
    private static func text(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: "json") else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(name).json in the test resources"])
        }
        return try String(contentsOf: url, encoding: .utf8)
    }
}
