import Containers
import Foundation
import OMSDeployment

extension Planner {
    /// Each node's new container can be built from its old one (a `--node` node with its own IP as
    /// OMS_HOST_IP), and its name is free on every node: the nodes' targets.
    func checkNewContainers(_ draft: inout Draft) async {
        let options = draft.options
        let ssl = Self.checkSSL(&draft.checks, options: options)
        var names: Set<String> = []
        for node in draft.nodes {
            let oneNode = node.address == nil
            do {
                let new = try node.newContainer(
                    NewContainerOptions(
                        image: options.image, name: options.newName, hostIP: node.address?.ip ?? options.hostIP,
                        sslPair: ssl, targetVersion: options.toVersion.flatMap(OMSVersion.init(parsing:)),
                        route: draft.deploymentChecks.route))
                names.insert(new.spec.name)
                if draft.targets.isEmpty {
                    draft.findings.newContainer = new.spec
                    draft.findings.renameOldTo = new.renameOldTo
                    draft.findings.differencesFromGuide = new.differences
                }
                if oneNode {
                    // The old console's URL was checked as `host-ip`; the new one's fails this check.
                    draft.findings.newConsoleURL = try node.newConsoleURL(new)
                    try await checkOneNodeName(&draft.checks, node: node, name: new.spec.name)
                    if let target = try? node.target(new: new, runsInit: true) { draft.targets.append(target) }
                } else {
                    let target = try node.target(new: new, runsInit: draft.runsInit(node))
                    if draft.targets.isEmpty {
                        draft.findings.consoleURL = target.consoleURL
                        draft.findings.newConsoleURL = target.newConsoleURL
                    }
                    draft.targets.append(target)
                }
            } catch {
                draft.checks.append(
                    oneNode
                        ? .fail("new-container", "\(error)", remedy: "Pass --host-ip (and --name if needed).")
                        : .fail(
                            "new-container", "Node \(node.name): \(error)",
                            remedy: "Pass --name with the new containers' name."))
            }
        }
        if names.count == 1 { draft.newContainerName = names.first }
        if draft.addresses != nil { await checkNodesName(&draft) }
    }

    /// The one node's new container name is free on the command's engine (unless it is the old one's).
    private func checkOneNodeName(_ checks: inout [PreflightCheck], node: PlannedNode, name: String) async throws {
        if name != node.deployment.container.name, try await node.engine.containerExists(name) {
            checks.append(
                .fail(
                    "new-name", "A container named \(name) already exists.",
                    remedy: "Pass --name with a free name, or rename that container."))
        } else {
            checks.append(
                .pass("new-container", "The new container \(name) will use the same config.yaml and data mounts."))
        }
    }

    /// The `--node` nodes' new containers' name is free on every node.
    private func checkNodesName(_ draft: inout Draft) async {
        guard let name = draft.newContainerName, name != draft.options.container else { return }
        var taken: [String] = []
        for node in draft.nodes where (try? await node.engine.containerExists(name)) == true {
            taken.append(node.name)
        }
        if taken.isEmpty {
            draft.checks.append(.pass("new-container", "The new containers will be named \(name) on every node."))
        } else {
            draft.checks.append(
                .fail(
                    "new-name",
                    "A container named \(name) already exists on node(s)"
                        + " \(taken.joined(separator: ", ")).", remedy: "Pass --name with a name free on every node."))
        }
    }

    /// The SSL pair for the new console, when `--ssl-cert` and `--ssl-key` were given (`--node`
    /// plans take neither): both parse and match.
    static func checkSSL(_ checks: inout [PreflightCheck], options: PlanOptions) -> SSLPair? {
        switch (options.sslCertificate, options.sslKey) {
        case (nil, nil):
            return nil
        case (let certificate?, let key?):
            do {
                let pair = SSLPair(certificatePath: certificate, keyPath: key)
                try pair.validate()
                checks.append(
                    .pass("ssl", "The SSL certificate and key parse and match; the console will be HTTPS only."))
                return pair
            } catch {
                checks.append(
                    .fail(
                        "ssl", "\(error)", remedy: "Pass a PEM certificate and the PEM private key that belongs to it.")
                )
                return nil
            }
        default:
            checks.append(
                .fail(
                    "ssl", "Only one of --ssl-cert and --ssl-key was given.",
                    remedy: "Pass both, or neither to keep the old container's console setup."))
            return nil
        }
    }
}
