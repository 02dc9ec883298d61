import Containers

/// Creates the new container while the old one stops, so that the outage's start is a bare `docker start`.
///
/// Only where the new container has a name of its own: one that takes the old container's name
/// (``RunNode/renameOldTo`` set) can be created only once the old one is renamed aside, in start-new.
/// The container carries ``StartNewStep/runLabel``, so a resumed step finds it instead of creating another.
enum NewContainerCreation {
    /// What stop-old does about the new container on one node, decided before anything stops.
    enum Plan: Sendable {
        /// Nothing: the new container takes the old one's name and is created by start-new.
        case later
        /// This run created it already (a resumed stop-old): its id.
        case exists(String)
        /// Create it from this spec (secrets filled in, the run's label set).
        case create(ContainerRunSpec)
    }

    /// Decides, from the old container's details and whatever holds the new name now; throws when a
    /// container of another origin holds the new name (the same refusal start-new gives).
    static func plan(_ node: RunNode, _ context: RunContext, old: ContainerDetails, holder: ContainerDetails?)
        throws -> Plan
    {
        guard node.renameOldTo == nil else { return .later }
        if let holder {
            guard holder.labels[StartNewStep.runLabel] == context.directory.runID else {
                throw StartNewStep.nameTakenError(node, name: node.newName)
            }
            return .exists(holder.id)
        }
        var spec = node.newContainer
        spec.labels[StartNewStep.runLabel] = context.directory.runID
        spec.env = try SecretEnvironment.fill(spec.env, node: node, from: old)
        return .create(spec)
    }

    /// The container holding the node's new name, or nil when none does or stop-old leaves the new
    /// container to start-new (no docker call then).
    static func holder(for node: RunNode) async throws -> ContainerDetails? {
        node.renameOldTo == nil ? try await holder(of: node.newName, on: node.engine) : nil
    }

    /// The container holding `name` on the node's engine, or nil when none does.
    static func holder(of name: String, on engine: any ContainerEngine) async throws -> ContainerDetails? {
        do {
            return try await engine.inspectContainer(name)
        } catch let error as ContainerEngineError where error.kind == .notFound {
            return nil
        }
    }

    /// Carries out `plan` and returns the new container's id (nil when it is left to start-new).
    static func carryOut(_ plan: Plan, _ node: RunNode, _ context: RunContext) async throws -> String? {
        switch plan {
        case .later: return nil
        case .exists(let id): return id
        case .create(let spec):
            context.say("\(node.prefix)Creating \(spec.name) from \(spec.image) while the old container stops...")
            return try await node.engine.create(spec)
        }
    }
}
