import Foundation

/// The preflight checks made on each node of a plan, whatever their number.
///
/// ``Planner`` calls them over its ``PlannedNode``s; the one node of a deployment planned
/// without `--node` (no address) is checked in the words single-node plans have always used.
enum NodeChecks {
    /// Whether one node has the image, as a child task returns it (a struct, not a tuple: see
    /// ``TopologyReader/NodeOutcome``).
    struct ImageOutcome: Sendable {
        var index: Int
        var result: Result<Bool, any Error>
    }

    /// The new image is present on every node's engine (for the one node without an address, on
    /// the command's engine, in the words single-node plans use).
    static func images(_ checks: inout [PreflightCheck], nodes: [PlannedNode], image: String) async {
        let outcomes = await withTaskGroup(of: ImageOutcome.self) { group in
            for (index, node) in nodes.enumerated() {
                group.addTask {
                    do {
                        let present = try await node.engine.imageExists(image)
                        return ImageOutcome(index: index, result: .success(present))
                    } catch {
                        return ImageOutcome(index: index, result: .failure(error))
                    }
                }
            }
            var outcomes = [Result<Bool, any Error>?](repeating: nil, count: nodes.count)
            for await outcome in group { outcomes[outcome.index] = outcome.result }
            return outcomes
        }
        if nodes.count == 1, nodes[0].address == nil, let outcome = outcomes[0] {
            checks.append(oneNodeImage(outcome, image: image))
            return
        }
        var missing: [String] = []
        for (node, outcome) in zip(nodes, outcomes) {
            switch outcome {
            case .success(true)?:
                continue
            case .success(false)?, nil:
                missing.append(node.name)
                checks.append(
                    .fail(
                        "image",
                        "Node \(node.name): the image \(image) is not present on its Docker"
                            + " engine (\(node.endpoint)).",
                        remedy: "Load it there first (`docker -H \(node.endpoint) load -i <file>`); every node"
                            + " needs the new image before anything stops."))
            case .failure(let error)?:
                missing.append(node.name)
                checks.append(.fail("image", "Node \(node.name): \(error)", remedy: "Check the image reference."))
            }
        }
        if missing.isEmpty {
            checks.append(.pass("image", "The image \(image) is present on every node."))
        }
    }

    /// The image check of the one node without an address, from its engine's answer.
    private static func oneNodeImage(_ outcome: Result<Bool, any Error>, image: String) -> PreflightCheck {
        switch outcome {
        case .success(true):
            .pass("image", "The image \(image) is present locally.")
        case .success(false):
            .fail(
                "image", "The image \(image) is not present on this Docker engine.",
                remedy: "Load it first (`docker load -i <file>`) and check the tag with `docker images`.")
        case .failure(let error):
            .fail("image", "\(error)", remedy: "Check the image reference.")
        }
    }
}
