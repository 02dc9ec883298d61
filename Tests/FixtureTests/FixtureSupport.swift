import Foundation
import SandboxSupport

/// Helpers shared by the fixture tests: the upgrade's "new container" step done by
/// hand, and `docker exec` of the init script.
enum FixtureSupport {
    /// Starts a container of `image` with the deployment's mounts and the guide's flags
    /// (like the upgrade's new container), named `name`; returns the name.
    @discardableResult
    static func startContainer(for deployment: FixtureDeployment, image: String, name: String) throws -> String {
        let dir = deployment.directory.path
        try Sandbox.runChecked(
            "docker",
            [
                "run", "-dit", "--net", "host",
                "-v", "\(deployment.configPath.path):/home/admin/conf/config.yaml",
                "-v", "\(dir)/oms_logs:/home/admin/logs",
                "-v", "\(dir)/oms_store:/home/ds/store",
                "-v", "\(dir)/oms_run:/home/ds/run",
                "-e", "OMS_HOST_IP=127.0.0.1",
                "--pids-limit", "-1", "--ulimit", "nproc=65535:65535",
                "--name", name, image,
            ])
        return name
    }

    /// `docker exec <container> bash /root/docker_init.sh`: exit status and output.
    static func runInit(in container: String) throws -> (status: Int32, output: String) {
        let result = try Sandbox.run("docker", ["exec", container, "bash", "/root/docker_init.sh"])
        return (result.status, result.stdout + result.stderr)
    }

    /// `docker stop` of the container.
    static func stop(_ container: String) throws {
        try Sandbox.runChecked("docker", ["stop", container])
    }

    /// The names of the tables and views of `database`.
    static func tables(_ database: String) throws -> Set<String> {
        let rows = try Sandbox.mysql().rows(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = \(SandboxMySQL.quoteString(database))"
        )
        return Set(rows.compactMap(\.first))
    }

    /// The column names of `database`.`table`.
    static func columns(_ database: String, _ table: String) throws -> Set<String> {
        let rows = try Sandbox.mysql().rows(
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = \(SandboxMySQL.quoteString(database)) AND TABLE_NAME = \(SandboxMySQL.quoteString(table))"
        )
        return Set(rows.compactMap(\.first))
    }

    /// `SELECT COUNT(*)` of `database`.`table`.
    static func count(_ database: String, _ table: String, where condition: String? = nil) throws -> Int {
        let filter = condition.map { " WHERE \($0)" } ?? ""
        let value = try Sandbox.mysql().scalar(
            "SELECT COUNT(*) FROM \(SandboxMySQL.quoteIdentifier(database)).\(SandboxMySQL.quoteIdentifier(table))\(filter)"
        )
        return Int(value ?? "") ?? -1
    }

    /// Polls `condition` every 250 ms until it holds or `timeout` seconds pass.
    static func eventually(timeout: TimeInterval, _ condition: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if try condition() { return true }
            Thread.sleep(forTimeInterval: 0.25)
        } while Date() < deadline
        return try condition()
    }
}
