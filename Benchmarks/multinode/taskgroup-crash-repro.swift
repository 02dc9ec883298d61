// Reproduces the release-build crash of multi-node runs (Benchmarks/multinode/README.md):
// swiftc -O -parse-as-library taskgroup-crash-repro.swift && ./taskgroup-crash-repro   (crashes)
// swiftc -Onone ... prints ok; so does -O with the tuple child result replaced by a struct.

import Foundation

struct Node: Sendable { var ip: String? }

enum FanOut {
    struct Outcome: Sendable {
        var facts: [String: String] = [:]
        var failures: [(ip: String, error: any Error)] = []
    }
    static func gather(
        _ nodes: [Node], _ work: @escaping @Sendable (Node) async throws -> [String: String]
    ) async -> Outcome {
        await withTaskGroup(of: (String, Result<[String: String], any Error>).self) { group in
            for node in nodes {
                group.addTask {
                    do {
                        return (node.ip ?? "", .success(try await work(node)))
                    } catch {
                        return (node.ip ?? "", .failure(error))
                    }
                }
            }
            var outcome = Outcome()
            for await (ip, result) in group {
                switch result {
                case .success(let facts):
                    for (key, value) in facts { outcome.facts[ip.isEmpty ? key : "\(key)@\(ip)"] = value }
                case .failure(let error):
                    outcome.failures.append((ip, error))
                }
            }
            outcome.failures.sort { $0.ip < $1.ip }
            return outcome
        }
    }
}

@main struct Main {
    static func main() async {
        let nodes = (1...3).map { Node(ip: "10.213.0.1\($0)") }
        for round in 0..<2000 {
            let o = await FanOut.gather(nodes) { node in
                try await Task.sleep(for: .microseconds(Int.random(in: 0...200)))
                return ["newContainerID": UUID().uuidString + (node.ip ?? "")]
            }
            if o.facts.count != 3 { print("round \(round): \(o.facts.count)") }
        }
        print("ok")
    }
}
