/// A `--node` argument that cannot be used.
public struct NodeEndpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What is wrong with it.
    public enum Problem: Sendable, Equatable {
        case missingEquals
        case emptyIP
        case notAnAddress(String)
        case emptyEndpoint
        case duplicateIP(String)
    }

    /// The argument as given.
    public var argument: String
    public var problem: Problem

    public init(argument: String, problem: Problem) {
        self.argument = argument
        self.problem = problem
    }

    public var description: String {
        let why: String
        switch problem {
        case .missingEquals, .emptyIP, .emptyEndpoint:
            why =
                "give it as IP=ENDPOINT, e.g. --node 10.0.0.2=ssh://root@10.0.0.2"
                + " (ENDPOINT: unix://, ssh://, tcp:// or a docker context name)"
        case .notAnAddress(let ip):
            why = "\(ip) is not an IP address; give the node's OMS_HOST_IP, as listed in cm_nodes"
        case .duplicateIP(let ip):
            why = "the node \(ip) is given more than once; pass each node once"
        }
        return "--node \(argument): \(why)."
    }
}
