import Containers
import Foundation
import OMSDeployment
import UpgradeEngine

extension UpgradePlan {
    /// A ready plan with made-up parts, for tests that need one without a deployment.
    static func sample(
        container: String = "old", image: String = "new:1", workDir: String = WorkDirectory.defaultPath,
        rm: String = "rm", host: String = "10.0.0.5", port: Int = 2881
    ) -> UpgradePlan {
        UpgradePlan(
            options: PlanOptions(container: container, image: image, workDir: workDir),
            nodes: [
                NodeTarget(
                    oldContainer: .init(
                        name: container, id: String(repeating: "a", count: 64), image: "old:3.2.2", running: true),
                    oldContainerSpec: ContainerRunSpec(name: container, image: "old:3.2.2"),
                    newContainer: ContainerRunSpec(name: "\(container)_new", image: image),
                    consoleURL: "http://\(host):8089", newConsoleURL: "http://\(host):8089")
            ],
            configPath: "/nonexistent/\(container)/config.yaml",
            metaServer: .init(host: host, port: port, user: "root"),
            databases: .init(rm: rm, cm: "cm", cmHeartbeat: "hb"),
            route: UpgradeRoute(from: OMSVersion(3, 2, 2), to: OMSVersion(3, 3, 0)))
    }
}
