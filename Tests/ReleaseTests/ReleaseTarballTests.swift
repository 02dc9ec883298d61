import Foundation
import SandboxSupport
import Testing

/// The release tarball on a host with no C library at all: `scripts/release.sh` builds it, it is
/// unpacked into a root file system holding only a static busybox and the static docker CLI,
/// imported into dockerd, and run from there (through the host's docker socket) against a real
/// fixture deployment: help, version, plan, apply and rollback.
@Suite("release tarball", .integration, .tags(.mariadb, .docker))
struct ReleaseTarballTests {
    @Test("the tarball holds its runtime, completions and man pages, checked by its SHA256SUMS")
    func contents() throws {
        let release = try ReleaseBuild.shared()
        let unpacked = release.unpacked.appending(path: release.name)
        let sums = try Sandbox.run("sh", ["-c", "cd \"$1\" && sha256sum -c --quiet SHA256SUMS", "sh", unpacked.path])
        #expect(sums.status == 0, "SHA256SUMS does not match: \(sums.stdout)\(sums.stderr)")
        let listing = try Sandbox.runChecked("tar", ["-tzf", release.tarball.path])
        for expected in [
            "bin/oms-upgrade", "libexec/oms-upgrade", "lib/ld-linux-x86-64.so.2", "lib/libc.so.6", "lib/libm.so.6",
            "lib/libstdc++.so.6", "lib/libgcc_s.so.1", "lib/libssl.so.3", "lib/libcrypto.so.3", "lib/libz.so.1",
            "share/bash-completion/completions/oms-upgrade", "share/zsh/site-functions/_oms-upgrade",
            "share/fish/vendor_completions.d/oms-upgrade.fish", "share/man/man1/oms-upgrade.1",
            "share/man/man1/oms-upgrade.plan.1", "share/man/man1/oms-upgrade.rollback.1", "README.md", "SHA256SUMS",
        ] {
            #expect(listing.contains("\(release.name)/\(expected)\n"), "the tarball lacks \(expected)")
        }
        #expect(!listing.contains(".resources/"), "the route table is compiled in: no resource bundle")

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
        let page = try String(
            contentsOf: unpacked.appending(path: "share/man/man1/oms-upgrade.plan.1"), encoding: .utf8)
        #expect(
            page.contains(".Nm") && page.contains("Fl -container Ar container"), "the plan man page lacks its options")

        // The bundled loader alone resolves every library of the binary from lib/.
        let resolved = try Sandbox.run(
            unpacked.appending(path: "lib/ld-linux-x86-64.so.2").path,
            [
                "--library-path", unpacked.appending(path: "lib").path, "--inhibit-cache", "--list",
                unpacked.appending(path: "libexec/oms-upgrade").path,
            ])
        #expect(resolved.status == 0, "\(resolved.stderr)")
        let outside = resolved.stdout.split(whereSeparator: \.isNewline).filter {
            $0.contains("=>") && !$0.contains("=> \(unpacked.path)/lib/")
        }
        #expect(outside.isEmpty, "libraries from outside the tarball: \(outside)")
    }

    @Test("in a root with no C library: --version, every help, then plan, apply and rollback with the data exact")
    func runsInARootWithoutACLibrary() throws {
        try Sandbox.requireDocker()
        let release = try ReleaseBuild.shared()
        let work = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let root = try BareRoot.make(in: work, name: "rootfs")
        try Sandbox.runChecked("tar", ["-xzf", release.tarball.path, "-C", root.directory.appending(path: "opt").path])
        // Installed as the README says: a symlink on PATH to the unpacked launcher.
        try FileManager.default.createSymbolicLink(
            atPath: root.directory.appending(path: "usr/bin/oms-upgrade").path,
            withDestinationPath: "/opt/\(release.name)/bin/oms-upgrade")
        #expect(
            try root.dynamicFiles(outside: "/opt/").isEmpty, "the bare root holds a dynamically linked file")
        #expect(!FileManager.default.fileExists(atPath: root.directory.appending(path: "lib").path))
        let image = try root.importImage()
        defer { _ = try? Sandbox.run("docker", ["rmi", "-f", image]) }

        let outcomes = try BareRoot.helpOutcomes(image: image, tool: "/usr/bin/oms-upgrade")
        let problems = ReleaseInvocations.problems(in: outcomes, version: try ReleaseBuild.version)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")

        // plan, apply and rollback of a fixture deployment from inside the bare root: docker through
        // the host's socket, config.yaml and the mounts at their host paths, the metadata database over TCP.
        let deployment = try Sandbox.deployFixture(heartbeatRows: 200)
        defer { try? deployment.remove() }
        try deployment.setFlag(".fixture-writer", contents: "off")
        Thread.sleep(forTimeInterval: 1)
        let before = try DataFingerprint.of(deployment.databases, schemaOnly: [deployment.cmHeartbeatDatabase])
        let runs = work.appending(path: "work")
        try FileManager.default.createDirectory(at: runs, withIntermediateDirectories: true)
        let newName = Sandbox.uniqueName("oms_new")
        func tool(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
            let directory = deployment.directory.path
            return try Sandbox.run(
                "docker",
                [
                    "run", "--rm", "--net", "host", "-v", "/var/run/docker.sock:/var/run/docker.sock",
                    "-v", "\(directory):\(directory)", "-v", "\(runs.path):\(runs.path)", "-e", "HOME=/tmp", image,
                    "/usr/bin/oms-upgrade",
                ] + arguments + ["--work-dir", runs.path, "--progress", "plain"])
        }
        let plan = try tool([
            "plan", "--container", deployment.containerName, "--image", Sandbox.fixtureImage("3.3.0"), "--name",
            newName, "--json",
        ])
        #expect(plan.status == 0, "plan in the bare root failed:\n\(plan.stdout)\n\(plan.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let route = try #require(json["route"] as? [String: Any])
        #expect(route["from"] as? String == "3.2.2-CE")
        #expect(route["to"] as? String == "3.3.0-CE")
        let checks = try #require(json["checks"] as? [[String: Any]])
        #expect(checks.allSatisfy { ($0["status"] as? String) != "fail" }, "\(checks)")

        let apply = try tool([
            "apply", "--container", deployment.containerName, "--image", Sandbox.fixtureImage("3.3.0"), "--name",
            newName, "--yes", "--health-timeout", "90",
        ])
        try #require(apply.status == 0, "apply in the bare root failed:\n\(apply.stderr)")
        defer { _ = try? Sandbox.run("docker", ["rm", "-f", newName]) }
        #expect(
            try DataFingerprint.of(deployment.databases, schemaOnly: [deployment.cmHeartbeatDatabase]) != before,
            "apply migrated nothing")

        let rollback = try tool(["rollback", "--yes"])
        #expect(rollback.status == 0, "rollback in the bare root failed:\n\(rollback.stderr)")
        let after = try DataFingerprint.of(deployment.databases, schemaOnly: [deployment.cmHeartbeatDatabase])
        #expect(after == before, "the data differs after the rollback: \(DataFingerprint.difference(before, after))")
        #expect(deployment.waitUntilHealthy(timeout: 90), "the old OMS is not healthy again")
    }

    @Test("the release binary upgrades and rolls back several nodes (its task groups once crashed only with -O)")
    func multiNode() async throws {
        let release = try ReleaseBuild.shared()
        let binary = release.unpacked.appending(path: "\(release.name)/bin/oms-upgrade")
        let output = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: output) }
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
}
