import Foundation
import SandboxSupport
import Testing

/// The rpm and the deb that `scripts/release.sh` builds from the tarball's tree: readable by EL7's
/// rpm, no dependency on a host library, installed into a root with no C library, where the tool
/// answers --version and every help.
@Suite("release packages", .integration, .tags(.docker))
struct ReleasePackageTests {
    /// What both packages put outside /opt/oms-upgrade.
    static let installed = [
        "usr/bin/oms-upgrade", "opt/oms-upgrade/bin/oms-upgrade", "opt/oms-upgrade/libexec/oms-upgrade",
        "opt/oms-upgrade/lib/libc.so.6", "usr/share/man/man1/oms-upgrade.1", "usr/share/man/man1/oms-upgrade.plan.1",
        "usr/share/bash-completion/completions/oms-upgrade", "usr/share/zsh/site-functions/_oms-upgrade",
        "usr/share/fish/vendor_completions.d/oms-upgrade.fish", "usr/share/doc/oms-upgrade/README.md",
    ]

    @Test("the rpm: xz payload, sha256 digests, no requires but rpmlib features EL7 has; installed, it runs")
    func rpm() throws {
        let release = try ReleaseBuild.shared()
        let rpm = try release.package(endingWith: ".rpm")
        let version = try ReleaseBuild.version.replacingOccurrences(of: "-", with: "~")
        #expect(rpm.lastPathComponent == "oms-upgrade-\(version)-1.x86_64.rpm")
        try expectChecksumFile(for: rpm)
        let tags = try Sandbox.runChecked(
            "rpm", ["-qp", "--qf", "%{PAYLOADCOMPRESSOR} %{FILEDIGESTALGO} %{VERSION}", rpm.path])
        #expect(tags == "xz 8 \(version)", "payload compressor, file digest algorithm (8: sha256), version: \(tags)")
        let requires = try Sandbox.runChecked("rpm", ["-qp", "--requires", rpm.path])
            .split(whereSeparator: \.isNewline).map(String.init)
        let el7 = ["CompressedFileNames", "FileDigests", "PayloadFilesHavePrefix", "PayloadIsXz"]
        let unexpected = requires.filter { line in !el7.contains { line.hasPrefix("rpmlib(\($0))") } }
        #expect(unexpected.isEmpty, "the rpm requires more than rpm 4.11 (EL7) offers: \(unexpected)")

        let work = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let root = try BareRoot.make(in: work, name: "rootfs")
        let install = try Sandbox.run("rpm", ["--root", root.directory.path, "-i", "--nodeps", rpm.path])
        try #require(install.status == 0, "rpm -i failed: \(install.stderr)")
        try expectInstalledAndRunning(in: root)
    }

    @Test("the deb: no dependency; unpacked, it runs")
    func deb() throws {
        let release = try ReleaseBuild.shared()
        let deb = try release.package(endingWith: ".deb")
        let version = try ReleaseBuild.version.replacingOccurrences(of: "-", with: "~")
        #expect(deb.lastPathComponent == "oms-upgrade_\(version)_amd64.deb")
        try expectChecksumFile(for: deb)
        let control = try Sandbox.runChecked("dpkg-deb", ["-f", deb.path])
        #expect(control.contains("Version: \(version)\n") && control.contains("Architecture: amd64\n"), "\(control)")
        #expect(!control.contains("Depends:") && !control.contains("Pre-Depends:"), "\(control)")

        let work = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: work) }
        let root = try BareRoot.make(in: work, name: "rootfs")
        try Sandbox.runChecked("dpkg-deb", ["-x", deb.path, root.directory.path])
        try expectInstalledAndRunning(in: root)
    }

    /// `<package>.sha256` beside the package, and it matches.
    private func expectChecksumFile(for package: URL) throws {
        let check = try Sandbox.run(
            "sh",
            [
                "-c", "cd \"$1\" && sha256sum -c \"$2.sha256\"", "sh", package.deletingLastPathComponent().path,
                package.lastPathComponent,
            ])
        #expect(check.status == 0, "\(package.lastPathComponent).sha256: \(check.stdout)\(check.stderr)")
    }

    /// The files in their places, no C library outside /opt/oms-upgrade, and every help from /usr/bin/oms-upgrade.
    private func expectInstalledAndRunning(in root: BareRoot) throws {
        for path in Self.installed {
            // attributesOfItem does not follow /usr/bin/oms-upgrade's absolute link out of the root.
            #expect(
                (try? FileManager.default.attributesOfItem(atPath: root.directory.appending(path: path).path)) != nil,
                "\(path) missing")
        }
        #expect(try root.dynamicFiles(outside: "/opt/oms-upgrade/").isEmpty)
        let image = try root.importImage()
        defer { _ = try? Sandbox.run("docker", ["rmi", "-f", image]) }
        let outcomes = try BareRoot.helpOutcomes(image: image, tool: "/usr/bin/oms-upgrade")
        let problems = ReleaseInvocations.problems(in: outcomes, version: try ReleaseBuild.version)
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }
}
