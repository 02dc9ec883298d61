import Foundation
import SandboxSupport
import Testing

/// The release tarball on a host without Swift: `scripts/release.sh` builds it, it is unpacked
/// into a bare root file system holding only the C library and what `ldd` names (plus the
/// docker CLI the tool shells out to), imported into dockerd, and run from there against a
/// real fixture deployment.
@Suite("release tarball", .integration, .tags(.mariadb, .docker))
struct ReleaseTarballTests {
    @Test("the tarball runs --version and a plan without Swift or libmariadb, and upgrades several nodes")
    func runsWithoutSwift() async throws {
        try Sandbox.requireDocker()
        let output = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
        let tarball = try Self.tarball(into: output)
        let name = tarball.lastPathComponent.replacingOccurrences(of: ".tar.gz", with: "")

        // What the tarball holds, checked against its own SHA256SUMS.
        let rootfs = output.appending(path: "rootfs")
        let opt = rootfs.appending(path: "opt")
        try FileManager.default.createDirectory(at: opt, withIntermediateDirectories: true)
        try Sandbox.runChecked("tar", ["-xzf", tarball.path, "-C", opt.path])
        let unpacked = opt.appending(path: name)
        let sums = try Sandbox.run("sh", ["-c", "cd \"$1\" && sha256sum -c --quiet SHA256SUMS", "sh", unpacked.path])
        #expect(sums.status == 0, "SHA256SUMS does not match: \(sums.stdout)\(sums.stderr)")
        let listing = try Sandbox.runChecked("tar", ["-tzf", tarball.path])
        for expected in [
            "bin/oms-upgrade", "share/bash-completion/completions/oms-upgrade",
            "share/zsh/site-functions/_oms-upgrade", "share/fish/vendor_completions.d/oms-upgrade.fish",
            "share/man/man1/oms-upgrade.1", "share/man/man1/oms-upgrade.plan.1",
            "share/man/man1/oms-upgrade.rollback.1", "README.md", "SHA256SUMS",
        ] {
            #expect(listing.contains("\(name)/\(expected)\n"), "the tarball lacks \(expected)")
        }

        // The bash completion completes a subcommand, and a man page renders.
        let completion = try Sandbox.run(
            "bash",
            [
                "-c",
                """
                source "$1/share/bash-completion/completions/oms-upgrade"
                COMP_WORDS=(oms-upgrade pl); COMP_CWORD=1; COMP_LINE="oms-upgrade pl"; COMP_POINT=${#COMP_LINE}
                _oms-upgrade oms-upgrade pl oms-upgrade
                printf '%s\\n' "${COMPREPLY[@]}"
                """, "bash", unpacked.path,
            ])
        #expect(completion.stdout.split(whereSeparator: \.isNewline).contains("plan"), "\(completion)")
        let manual = unpacked.appending(path: "share/man/man1/oms-upgrade.plan.1")
        let page = try String(contentsOf: manual, encoding: .utf8)
        #expect(
            page.contains(".Nm") && page.contains("Fl -container Ar container"),
            "the plan man page lacks its options")

        // The README promises glibc 2.35 and OpenSSL 3: the binary must not ask for more.
        let symbols = try Sandbox.runChecked("objdump", ["-T", unpacked.appending(path: "bin/oms-upgrade").path])
        let glibc = Self.versions(in: symbols, prefix: "GLIBC_")
        #expect(
            glibc.last.map { $0.lexicographicallyPrecedes([2, 36]) } == true,
            "needs glibc \(glibc.last ?? []), README says 2.35")
        #expect(Self.versions(in: symbols, prefix: "OPENSSL_").last?.first == 3, "needs another OpenSSL than 3")

        // A root file system: the binary, the libraries ldd names for it and for the docker CLI.
        let binary = unpacked.appending(path: "bin/oms-upgrade")
        let docker = try #require(Self.which("docker"), "the docker CLI is not on PATH")
        try Self.copy(docker, into: rootfs, at: "/usr/bin/docker")
        var libraries = Set<String>()
        for executable in [binary.path, docker] + Self.files(under: unpacked.appending(path: "lib").path) {
            libraries.formUnion(try Self.sharedLibraries(of: executable))
        }
        for library in libraries { try Self.copy(library, into: rootfs, at: library) }
        for directory in ["tmp", "usr/local/bin", "etc"] {
            try FileManager.default.createDirectory(
                at: rootfs.appending(path: directory),
                withIntermediateDirectories: true)
        }
        try Sandbox.runChecked("chmod", ["1777", rootfs.appending(path: "tmp").path])
        try "root:x:0:0:root:/root:/bin/false\n".write(
            to: rootfs.appending(path: "etc/passwd"),
            atomically: true, encoding: .utf8)
        // Installed as the README says: a symlink on PATH to the unpacked binary.
        try FileManager.default.createSymbolicLink(
            atPath: rootfs.appending(path: "usr/local/bin/oms-upgrade").path,
            withDestinationPath: "/opt/\(name)/bin/oms-upgrade")
        let everything = try Sandbox.runChecked("find", [rootfs.path])
        #expect(
            !everything.contains("libswift") && !everything.contains("libFoundation"),
            "Swift runtime files in the rootfs")
        #expect(!everything.contains("libmariadb"), "libmariadb in the rootfs")
        #expect(!everything.contains("/bin/sh\n") && !everything.contains("curl"))

        let image = "oms-upgrade-release-test:\(Sandbox.uniqueName("t").lowercased())"
        try Sandbox.runChecked(
            "sh",
            [
                "-c", "tar -C \"$1\" -c . | docker import - \"$2\" >/dev/null",
                "sh", rootfs.path, image,
            ])
        defer { _ = try? Sandbox.run("docker", ["rmi", "-f", image]) }

        let version = try Sandbox.run(
            "docker",
            [
                "run", "--rm", "--net", "host", image,
                "/usr/local/bin/oms-upgrade", "--version",
            ])
        #expect(version.status == 0, "\(version.stderr)")
        let expectedVersion = try String(contentsOf: Sandbox.repoRoot.appending(path: "VERSION"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(version.stdout.hasPrefix("\(expectedVersion) (commit "), "\(version.stdout)")

        // A real plan: docker inspect through the mounted socket, config.yaml from the host path,
        // the metadata database over TCP with the statically linked client.
        let deployment = try Sandbox.deployFixture(heartbeatRows: 200)
        defer { try? deployment.remove() }
        let directory = deployment.directory.path
        let plan = try Sandbox.run(
            "docker",
            [
                "run", "--rm", "--net", "host", "-v", "/var/run/docker.sock:/var/run/docker.sock",
                "-v", "\(directory):\(directory):ro", "-e", "HOME=/tmp", image,
                "/usr/local/bin/oms-upgrade", "plan", "--container", deployment.containerName,
                "--image", Sandbox.fixtureImage("3.3.0"), "--name", Sandbox.uniqueName("oms_new"),
                "--work-dir", "/tmp/work", "--json", "--progress", "plain",
            ])
        #expect(plan.status == 0, "plan in the bare container failed:\n\(plan.stdout)\n\(plan.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let route = try #require(json["route"] as? [String: Any])
        #expect(route["from"] as? String == "3.2.2-CE")
        #expect(route["to"] as? String == "3.3.0-CE")
        let checks = try #require(json["checks"] as? [[String: Any]])
        #expect(checks.allSatisfy { ($0["status"] as? String) != "fail" }, "\(checks)")
        let sizes = try #require(json["sizes"] as? [[String: Any]])
        #expect(sizes.count == 3, "the metadata databases were not measured: \(sizes)")

        // A multi-node upgrade and rollback with the release binary: its task groups once crashed
        // only when built with -O (Benchmarks/multinode/README.md), which the debug tests miss.
        try await NodeBedLock.exclusive {
            _ = try NodeBed.require(nodes: 3)
            let nodes = try NodeBed.deploy(layout: "2x1", prefix: "omsrel")
            defer { try? nodes.remove() }
            let work = output.appending(path: "multi-node-work").path
            let applied = try Sandbox.run(
                binary.path,
                [
                    "apply", "--container", nodes.containerName, "--image", Sandbox.fixtureImage("3.3.0"),
                    "--name", nodes.newContainerName, "--work-dir", work, "--yes", "--progress", "plain",
                    "--health-timeout", "60",
                ] + nodes.nodeArguments)
            #expect(applied.status == 0, "multi-node apply of the release build failed:\n\(applied.stderr)")
            let rolledBack = try Sandbox.run(
                binary.path, ["rollback", "--work-dir", work, "--yes", "--progress", "plain"])
            #expect(rolledBack.status == 0, "multi-node rollback of the release build failed:\n\(rolledBack.stderr)")
        }
    }

    /// `OMS_RELEASE_TARBALL` when set (CI can build once), else a fresh `scripts/release.sh` build.
    static func tarball(into directory: URL) throws -> URL {
        if let given = ProcessInfo.processInfo.environment["OMS_RELEASE_TARBALL"], !given.isEmpty {
            return URL(fileURLWithPath: given)
        }
        let script = Sandbox.scriptsDirectory.appending(path: "release.sh").path
        let result = try Sandbox.run("bash", [script, "--output-dir", directory.path])
        guard result.status == 0, let last = result.stdout.split(whereSeparator: \.isNewline).last else {
            let tail = result.stderr.split(whereSeparator: \.isNewline).suffix(30).joined(separator: "\n")
            throw SandboxError("scripts/release.sh failed (status \(result.status)):\n\(tail)")
        }
        return URL(fileURLWithPath: String(last))
    }

    /// The absolute paths of the shared libraries `ldd` names for `executable`, loader included.
    static func sharedLibraries(of executable: String) throws -> [String] {
        let result = try Sandbox.run("ldd", [executable])
        if result.status != 0, (result.stdout + result.stderr).contains("not a dynamic executable") { return [] }
        guard result.status == 0 else { throw SandboxError("ldd \(executable) failed: \(result.stderr)") }
        return result.stdout.split(whereSeparator: \.isNewline).compactMap { line in
            let fields = line.split(whereSeparator: \.isWhitespace)
            if let arrow = fields.firstIndex(of: "=>"), arrow + 1 < fields.count, fields[arrow + 1].hasPrefix("/") {
                return String(fields[arrow + 1])
            }
            if let first = fields.first, first.hasPrefix("/") { return String(first) }
            return nil
        }
    }

    /// The sorted version numbers of the symbol versions named `<prefix>X.Y[.Z]` in `objdump -T` output.
    static func versions(in symbols: String, prefix: String) -> [[Int]] {
        let pattern = try! Regex("\(prefix)([0-9]+(\\.[0-9]+)*)")
        let found = Set(
            symbols.matches(of: pattern).compactMap { match in
                match.output[1].substring.map { $0.split(separator: ".").compactMap { Int($0) } }
            })
        return found.sorted { $0.lexicographicallyPrecedes($1) }
    }

    /// Copies `source` (following links) to `path` inside `root`.
    static func copy(_ source: String, into root: URL, at path: String) throws {
        let target = root.appending(path: String(path.drop { $0 == "/" }))
        try FileManager.default.createDirectory(
            at: target.deletingLastPathComponent(),
            withIntermediateDirectories: true)
        try Sandbox.runChecked("cp", ["-L", source, target.path])
    }

    /// Regular files under `directory` (none when it does not exist).
    static func files(under directory: String) -> [String] {
        guard let names = try? FileManager.default.subpathsOfDirectory(atPath: directory) else { return [] }
        return names.map { "\(directory)/\($0)" }.filter { $0.hasSuffix(".so") }
    }

    static func which(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
