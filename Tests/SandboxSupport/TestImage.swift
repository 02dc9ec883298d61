import Foundation

/// The tiny busybox image the Docker tests run, imported once from `/bin/busybox` (busybox-static).
///
/// Its entry script prints a line to stdout and one to stderr, serves `/www` with busybox
/// httpd when `HEALTH_PORT` is set, prints `OMS service start successfully` last, and then
/// idles until SIGTERM. It sets `IMAGE_VAR=from-image` and a label, like a real image would.
public enum TestImage {
    /// Tagged like an OMS release so that the version is read from it.
    public static let reference = "oms-upgrade-test/oms:feature_3.2.2_ce"
    /// A second tag, standing in for the new release.
    public static let newReference = "oms-upgrade-test/oms:feature_3.3.0_ce"

    static let entryScript = """
        #!/bin/sh
        trap 'exit 0' TERM INT
        echo "hello from stdout"
        echo "hello from stderr" >&2
        if [ -n "$HEALTH_PORT" ]; then
          httpd -p "127.0.0.1:$HEALTH_PORT" -h /www
        fi
        echo "OMS service start successfully"
        while true; do sleep 1; done
        """

    private static let prepared: Result<String, SandboxError> = {
        do { return .success(try importImage()) } catch let error as SandboxError {
            return .failure(error)
        } catch {
            return .failure(SandboxError("importing the test image failed: \(error)"))
        }
    }()

    /// Imports the image when missing; returns its reference. Fails (never skips) when dockerd is down.
    public static func ensure() throws -> String {
        try Sandbox.requireDocker()
        return try prepared.get()
    }

    private static func importImage() throws -> String {
        do {
            let existing = try Sandbox.run("docker", ["image", "inspect", "--format", "{{.Id}}", reference])
            let existingNew = try Sandbox.run("docker", ["image", "inspect", "--format", "{{.Id}}", newReference])
            if existing.status == 0 && existingNew.status == 0 { return reference }
            guard FileManager.default.isExecutableFile(atPath: "/bin/busybox") else {
                throw SandboxError("/bin/busybox is missing: install busybox-static (scripts/sandbox-up.sh does)")
            }
            let directory = try Sandbox.makePrivateTempDirectory()
            let fm = FileManager.default
            defer { try? fm.removeItem(at: directory) }
            let root = directory.appendingPathComponent("root").path
            for sub in ["bin", "www/oms", "tmp", "etc"] {
                try fm.createDirectory(atPath: "\(root)/\(sub)", withIntermediateDirectories: true)
            }
            try fm.copyItem(atPath: "/bin/busybox", toPath: "\(root)/bin/busybox")
            for applet in [
                "sh", "sleep", "cat", "echo", "ls", "true", "false", "kill", "env", "printf", "httpd", "rm", "mkdir",
            ] {
                try fm.createSymbolicLink(atPath: "\(root)/bin/\(applet)", withDestinationPath: "busybox")
            }
            try Data(entryScript.utf8).write(to: URL(fileURLWithPath: "\(root)/entry.sh"))
            try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: "\(root)/entry.sh")
            try Data(#"{"success":true,"data":{"healthy":true}}"#.utf8).write(
                to: URL(fileURLWithPath: "\(root)/www/oms/health"))
            try Data("root:x:0:0:root:/:/bin/sh\n".utf8).write(to: URL(fileURLWithPath: "\(root)/etc/passwd"))
            let tarball = directory.appendingPathComponent("rootfs.tar").path
            try Sandbox.runChecked("tar", ["-C", root, "-cf", tarball, "."])
            try Sandbox.runChecked(
                "docker",
                [
                    "import",
                    "-c", "ENV PATH=/bin", "-c", "ENV IMAGE_VAR=from-image",
                    "-c", "LABEL org.example.from-image=yes",
                    "-c", #"CMD ["/bin/sh", "/entry.sh"]"#,
                    tarball, reference,
                ])
            try Sandbox.runChecked("docker", ["tag", reference, newReference])
            return reference
        } catch let error as SandboxError {
            throw error
        } catch {
            throw SandboxError("importing the test image failed: \(error)")
        }
    }

    /// Removes containers by name, ignoring those already gone.
    public static func removeContainers(_ names: [String]) {
        for name in names {
            _ = try? Sandbox.run("docker", ["rm", "-f", name])
        }
    }
}
