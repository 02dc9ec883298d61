import Foundation
import SandboxSupport

/// A root file system with no C library: a static busybox (with its applets linked in /bin), the
/// static docker CLI at /usr/local/bin/docker, /tmp and /etc/passwd; what the tests add goes to /opt
/// or to /usr. Imported into dockerd as an image to run the release from inside it.
struct BareRoot {
    /// The root's directory on the host.
    let directory: URL

    /// Creates the root under `parent`/`name`.
    static func make(in parent: URL, name: String) throws -> BareRoot {
        let root = BareRoot(directory: parent.appending(path: name))
        let busybox = try requireStaticExecutable("busybox")
        let docker = try requireStaticExecutable("docker")
        try root.copy(busybox, to: "/bin/busybox")
        let applets = try Sandbox.runChecked(busybox, ["--list"]).split(whereSeparator: \.isNewline)
        for applet in applets where applet != "busybox" {
            try FileManager.default.createSymbolicLink(
                atPath: root.directory.appending(path: "bin/\(applet)").path, withDestinationPath: "busybox")
        }
        try root.copy(docker, to: "/usr/local/bin/docker")
        for directory in ["tmp", "etc", "usr/bin", "opt"] {
            try FileManager.default.createDirectory(
                at: root.directory.appending(path: directory), withIntermediateDirectories: true)
        }
        try Sandbox.runChecked("chmod", ["1777", root.directory.appending(path: "tmp").path])
        try "root:x:0:0:root:/root:/bin/sh\n".write(
            to: root.directory.appending(path: "etc/passwd"), atomically: true, encoding: .utf8)
        return root
    }

    /// Copies `source` (following links) to `path` inside the root.
    func copy(_ source: String, to path: String) throws {
        let target = directory.appending(path: String(path.drop { $0 == "/" }))
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Sandbox.runChecked("cp", ["-L", source, target.path])
    }

    /// The ELF shared objects and dynamically linked executables in the root outside `allowed` (root paths).
    func dynamicFiles(outside allowed: String) throws -> [String] {
        let listing = try Sandbox.runChecked("find", [directory.path, "-type", "f"])
        return try listing.split(whereSeparator: \.isNewline).map(String.init).filter { path in
            let inside = String(path.dropFirst(directory.path.count))
            guard !inside.hasPrefix(allowed) else { return false }
            return try isDynamicELF(path)
        }
    }

    /// `docker import`s the root; the image's name (remove it with `docker rmi`).
    func importImage() throws -> String {
        let image = "oms-upgrade-release-test:\(Sandbox.uniqueName("r").lowercased())"
        try Sandbox.runChecked(
            "sh", ["-c", "tar -C \"$1\" -c . | docker import - \"$2\" >/dev/null", "sh", directory.path, image])
        return image
    }

    /// Runs every help and version command line with `tool` inside `image`: the outcomes by words.
    static func helpOutcomes(image: String, tool: String) throws -> [String: ReleaseInvocations.Outcome] {
        let words = ReleaseInvocations.all(version: "").map { $0.arguments.joined(separator: " ") }
        let result = try Sandbox.run(
            "docker", ["run", "--rm", image, "/bin/sh", "-c", ReleaseInvocations.shellScript, "sh", tool] + words)
        if result.status != 0 { throw SandboxError("docker run failed: \(result.stderr)") }
        return ReleaseInvocations.parse(result.stdout)
    }
}

/// The path of the statically linked executable `name` on PATH, or an error saying so.
private func requireStaticExecutable(_ name: String) throws -> String {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
        .map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    guard let path else { throw SandboxError("\(name) is not on PATH: \(SandboxError.sandboxUpHint)") }
    guard try !isDynamicELF(path) else {
        throw SandboxError("\(path) is dynamically linked: the bare root needs a static \(name)")
    }
    return path
}

/// Whether `path` is an ELF file that names shared libraries or is one (`readelf -d`: NEEDED or SONAME).
func isDynamicELF(_ path: String) throws -> Bool {
    let handle = try FileHandle(forReadingFrom: URL(fileURLWithPath: path))
    defer { try? handle.close() }
    guard try handle.read(upToCount: 4) == Data([0x7F, 0x45, 0x4C, 0x46]) else { return false }
    let dynamic = try Sandbox.run("readelf", ["-d", path])
    return dynamic.stdout.contains("(NEEDED)") || dynamic.stdout.contains("(SONAME)")
}
