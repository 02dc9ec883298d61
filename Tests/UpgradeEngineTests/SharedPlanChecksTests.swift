import Containers
import Foundation
import OMSDeployment
import Testing

@testable import UpgradeEngine

/// The checks the planner shares between shapes (``DeploymentChecks``, ``NodeChecks``) keep each shape's
/// wording: a single-node plan's messages name no node, a `--node` plan's name every node.
@Suite("checks shared by the planners")
struct SharedPlanChecksTests {
    static let oldImage = "oms:feature_3.2.2_ce"
    static let newImage = "oms:feature_3.3.0_ce"
    static let topology = Topology(
        container: "oms_322", rmDatabase: "rm", cmDatabase: "cm", metaEndpoint: "u@127.0.0.1:3306", regions: [],
        nodes: [], initPlacement: .oneNode, initNodes: [])

    static func route(
        _ shape: DeploymentChecks.Shape, from: String? = nil, image: String = newImage,
        oldImages: [(node: String, image: String)] = [(node: "oms_322", image: oldImage)]
    ) -> (DeploymentChecks, [PreflightCheck]) {
        var deploymentChecks = DeploymentChecks(shape: shape)
        var checks: [PreflightCheck] = []
        deploymentChecks.checkRoute(
            &checks, versions: .init(from: from, to: nil, image: image), oldImages: oldImages,
            oldVersion: OMSVersion(parsing: oldImages[0].image))
        return (deploymentChecks, checks)
    }

    @Test("a documented route passes in the same words for one node and several")
    func documentedRoute() {
        for shape in [DeploymentChecks.Shape.oneNode, .nodes(Self.topology)] {
            let (found, checks) = Self.route(shape)
            #expect(found.route != nil)
            #expect(checks.map(\.name) == ["route"])
            #expect(checks.first?.detail == "3.2.2-CE -> 3.3.0-CE is a documented upgrade route.")
        }
    }

    @Test("an unknown version: one node names which one and its image; several nodes ask for both flags")
    func unknownVersion() {
        let (_, old) = Self.route(.oneNode, oldImages: [(node: "oms_322", image: "oms:latest")])
        #expect(old.map(\.detail) == ["Cannot tell the old version from the image oms:latest."])
        #expect(old.first?.remedy == "Pass --from-version, e.g. --from-version 3.2.2.")
        let (_, new) = Self.route(.oneNode, image: "oms:latest")
        #expect(new.map(\.detail) == ["Cannot tell the new version from the image oms:latest."])
        let (_, nodes) = Self.route(.nodes(Self.topology), image: "oms:latest")
        #expect(nodes.map(\.detail) == ["Cannot tell the old or the new version from the image tags."])
        #expect(nodes.first?.remedy == "Pass --from-version and --to-version, e.g. 3.2.2 and 3.3.0.")
    }

    @Test("nodes on different images fail old-image, naming each node's image, and find no route")
    func differentImages() {
        let (found, checks) = Self.route(
            .nodes(Self.topology),
            oldImages: [(node: "10.0.0.1", image: Self.oldImage), (node: "10.0.0.2", image: "oms:feature_3.2.1_ce")])
        #expect(found.route == nil)
        #expect(checks.map(\.name) == ["old-image"])
        #expect(
            checks.first?.detail
                == "The nodes run different images: node 10.0.0.1 runs \(Self.oldImage); node 10.0.0.2 runs oms:feature_3.2.1_ce."
        )
    }

    static func node(_ address: NodeEndpoint?, images: Set<String>) throws -> PlannedNode {
        var mounts = [Mount(source: "/nowhere/config.yaml", destination: OMSContainerPaths.config)]
        for destination in OMSContainerPaths.dataMounts {
            mounts.append(Mount(source: "/nowhere" + destination, destination: destination))
        }
        let details = ContainerDetails(
            id: String(repeating: "c", count: 64), name: "oms_322", image: oldImage, mounts: mounts,
            env: [EnvVar(name: "OMS_HOST_IP", value: address?.ip ?? "127.0.0.1")])
        let deployment = try Deployment(
            inspecting: details,
            configText: """
                oms_meta_host: 127.0.0.1
                oms_meta_port: 3306
                oms_meta_user: oms_user
                oms_meta_password: not-a-real-one
                drc_rm_db: rm
                drc_cm_db: cm
                drc_cm_heartbeat_db: cm_hb
                cm_url: http://127.0.0.1:8088
                cm_location: 0

                """)
        var node = PlannedNode(engine: FakeEngine(images: images), deployment: deployment)
        node.address = address
        return node
    }

    @Test("the image check: the unnamed node keeps the single-node words, --node nodes are named with their engine")
    func images() async throws {
        var checks: [PreflightCheck] = []
        await NodeChecks.images(&checks, nodes: [try Self.node(nil, images: [])], image: Self.newImage)
        #expect(checks.map(\.detail) == ["The image \(Self.newImage) is not present on this Docker engine."])
        #expect(
            checks.first?.remedy == "Load it first (`docker load -i <file>`) and check the tag with `docker images`.")

        checks = []
        await NodeChecks.images(&checks, nodes: [try Self.node(nil, images: [Self.newImage])], image: Self.newImage)
        #expect(checks.map(\.detail) == ["The image \(Self.newImage) is present locally."])

        checks = []
        let present = try Self.node(NodeEndpoint(ip: "10.0.0.1", endpoint: "ssh://a"), images: [Self.newImage])
        let absent = try Self.node(NodeEndpoint(ip: "10.0.0.2", endpoint: "ssh://b"), images: [])
        await NodeChecks.images(&checks, nodes: [present, absent], image: Self.newImage)
        #expect(checks.map(\.status) == [.fail])
        #expect(
            checks.first?.detail
                == "Node 10.0.0.2: the image \(Self.newImage) is not present on its Docker engine (ssh://b).")

        checks = []
        await NodeChecks.images(&checks, nodes: [present], image: Self.newImage)
        #expect(checks.map(\.detail) == ["The image \(Self.newImage) is present on every node."])
    }
}
