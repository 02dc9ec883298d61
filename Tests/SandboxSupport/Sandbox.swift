import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the integration tests find the sandbox that `scripts/sandbox-up.sh` brings up:
/// MariaDB on 127.0.0.1:3306 with the admin account of `.sandbox/sandbox.env`, dockerd,
/// and the OMS fixture images. Never hard-code credentials in tests; ask this type.
///
/// Nothing here skips a test: when the sandbox is not up, the calls throw a
/// ``SandboxError`` whose message tells to run `scripts/sandbox-up.sh`.
public enum Sandbox {
    /// The repository root, found from this file's path (`Tests/SandboxSupport/Sandbox.swift`).
    public static let repoRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // SandboxSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `.sandbox/` at the repo root (0700; credentials, pids, logs), or `OMS_SANDBOX_DIR` when set
    /// (`scripts/unit-tests.sh --check` points it at a sandbox whose MariaDB port is dead).
    public static var sandboxDirectory: URL {
        let custom = ProcessInfo.processInfo.environment["OMS_SANDBOX_DIR"] ?? ""
        return custom.isEmpty ? repoRoot.appendingPathComponent(".sandbox") : URL(fileURLWithPath: custom)
    }

    /// `scripts/` at the repo root.
    public static var scriptsDirectory: URL { repoRoot.appendingPathComponent("scripts") }

    /// The fixture images' repository: `oms-fixture`, or `OMS_FIXTURE_REPO` when set (a branch that
    /// changes the fixture builds and tests its own images without touching the shared ones).
    public static var fixtureRepository: String {
        let custom = ProcessInfo.processInfo.environment["OMS_FIXTURE_REPO"] ?? ""
        return custom.isEmpty ? "oms-fixture" : custom
    }

    /// The fixture image of OMS `version`, e.g. `oms-fixture:3.3.0`.
    public static func fixtureImage(_ version: String) -> String { "\(fixtureRepository):\(version)" }

    /// The fixture image tags that `fixtures/oms-image/build.sh` builds.
    public static var fixtureImages: [String] { [fixtureImage("3.2.2"), fixtureImage("3.3.0")] }

    // MARK: MariaDB

    /// The sandbox's admin account on `server` (MariaDB unless told), read from
    /// `.sandbox/sandbox.env` and its password file.
    ///
    /// - Throws: ``SandboxError`` (ending in "run `scripts/sandbox-up.sh` to install and start
    ///   MariaDB and dockerd" or, for the OceanBase kernel, "... to install and start seekdb") when the
    ///   files are missing or nothing answers on the port. Never a skip.
    public static func mysql(_ server: MetadataServer = .mariadb) throws -> SandboxMySQL {
        func notUp(_ reason: String) -> SandboxError {
            switch server {
            case .mariadb: SandboxError.notUp(reason)
            case .oceanbase:
                SandboxError(
                    "\(reason): run `scripts/sandbox-up.sh` to install and start seekdb (the OceanBase kernel) behind 127.0.0.1:2881"
                )
            }
        }
        let envFile = sandboxDirectory.appendingPathComponent("sandbox.env")
        guard let text = try? String(contentsOf: envFile, encoding: .utf8) else {
            throw notUp("\(envFile.path) is missing")
        }
        var env: [String: String] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.hasPrefix("#"), let eq = trimmed.firstIndex(of: "=") else { continue }
            env[String(trimmed[..<eq])] = String(trimmed[trimmed.index(after: eq)...])
        }
        let prefix = server.environmentPrefix
        guard let host = env[prefix + "HOST"], let portText = env[prefix + "PORT"],
            let port = Int(portText), let user = env[prefix + "USER"],
            let passwordPath = env[prefix + "PASSWORD_FILE"]
        else {
            throw notUp("\(envFile.path) names no \(server) server (\(prefix)*)")
        }
        let passwordFile = URL(fileURLWithPath: passwordPath)
        guard let raw = try? String(contentsOf: passwordFile, encoding: .utf8) else {
            throw notUp("the password file \(passwordPath) is missing")
        }
        let password = String(raw.reversed().drop(while: { $0 == "\n" || $0 == "\r" }).reversed())
        guard !password.isEmpty else { throw notUp("the password file \(passwordPath) is empty") }
        guard canConnect(host: host, port: port) else {
            throw notUp("\(server) does not answer on \(host):\(port)")
        }
        return SandboxMySQL(
            host: host, port: port, user: user, password: password, passwordFile: passwordFile, server: server)
    }

    // MARK: Docker

    /// Checks that dockerd answers (`docker info`).
    ///
    /// - Throws: ``SandboxError`` ending in "run `scripts/sandbox-up.sh` ..." when it does not.
    public static func requireDocker() throws {
        let result: (status: Int32, stdout: String, stderr: String)
        do {
            result = try run("docker", ["info", "--format", "{{.ServerVersion}}"])
        } catch {
            throw SandboxError.notUp("the docker CLI cannot be run (\(error))")
        }
        guard result.status == 0 else {
            let why = result.stderr.split(whereSeparator: \.isNewline).last.map(String.init) ?? "no output"
            throw SandboxError.notUp("dockerd does not answer (`docker info`: \(why))")
        }
    }

    /// Checks that dockerd answers and the fixture images `oms-fixture:3.2.2` and
    /// `oms-fixture:3.3.0` exist.
    public static func requireFixtureImages() throws {
        try requireDocker()
        for image in fixtureImages {
            let result = try run("docker", ["image", "inspect", "--format", "{{.Id}}", image])
            guard result.status == 0 else { throw SandboxError.notUp("the image \(image) does not exist") }
        }
    }

    // MARK: Names and ports

    /// A name that is unique per call, usable as a database name and a container name:
    /// `prefix` lowercased with anything outside `[a-z0-9_]` turned into `_` (at most 40
    /// characters), then `_` and 8 random characters of `[a-z0-9]`.
    public static func uniqueName(_ prefix: String) -> String {
        var clean = String(
            prefix.lowercased().map { ch -> Character in
                (ch.isASCII && (ch.isLetter || ch.isNumber)) || ch == "_" ? ch : "_"
            }.prefix(40))
        if clean.isEmpty || !(clean.first!.isLetter) { clean = "t" + clean }
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let suffix = String((0..<8).map { _ in alphabet.randomElement()! })
        return "\(clean)_\(suffix)"
    }

    /// A TCP port on 127.0.0.1 that is free now, with the next four (which a fixture's
    /// config.yaml names as its cm/ghana/supervisor/sshd ports).
    ///
    /// Picked at random below the kernel's ephemeral range (`ip_local_port_range`, 32768 by
    /// default), where the outgoing connections of every test and fixture take their local ports
    /// (a fixture once found its console port taken by one), checked by binding, and never handed
    /// out twice in this process: two tests picking the same free port before either binds it
    /// would collide.
    public static func freePort() -> Int {
        let upper = max(20_005, ephemeralRangeStart - 5)
        for _ in 0..<500 {
            let port = Int.random(in: 10_000..<upper)
            let block = Set(port..<(port + 5))
            let claimed = handedOutPorts.withLock { handed -> Bool in
                guard handed.isDisjoint(with: block), block.allSatisfy({ canBind(port: $0) }) else { return false }
                handed.formUnion(block)
                return true
            }
            if claimed { return port }
        }
        // Practically unreachable; let the caller fail on bind with a clear port number.
        return Int.random(in: 10_000..<upper)
    }

    /// The ports ``freePort()`` handed out.
    private static let handedOutPorts = Mutex<Set<Int>>([])

    /// The first port of the kernel's ephemeral range.
    public static let ephemeralRangeStart: Int = {
        let text = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).first.flatMap { Int($0) } ?? 32_768
    }()

    // MARK: Processes

    /// Runs `executable` (a path, or a name looked up in `PATH`) with `args`, feeds it
    /// `stdin` (or nothing), waits, and returns its exit status and output.
    ///
    /// Output goes through private temp files, so large outputs cannot dead-lock.
    /// A process killed by a signal reports status 128 + signal.
    public static func run(_ executable: String, _ args: [String], stdin: String? = nil) throws -> (
        status: Int32, stdout: String, stderr: String
    ) {
        guard let path = resolveExecutable(executable) else {
            throw SandboxError("\(executable) not found in PATH: \(SandboxError.sandboxUpHint)")
        }
        let dir = try makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let outURL = dir.appendingPathComponent("stdout")
        let errURL = dir.appendingPathComponent("stderr")
        let inURL = dir.appendingPathComponent("stdin")
        try writePrivateFile(outURL, contents: "")
        try writePrivateFile(errURL, contents: "")
        try writePrivateFile(inURL, contents: stdin ?? "")

        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        let inHandle = try FileHandle(forReadingFrom: inURL)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer {
            try? inHandle.close()
            try? outHandle.close()
            try? errHandle.close()
        }
        process.standardInput = inHandle
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        var status = process.terminationStatus
        if process.terminationReason == .uncaughtSignal { status += 128 }
        let out = (try? String(contentsOf: outURL, encoding: .utf8)) ?? ""
        let err = (try? String(contentsOf: errURL, encoding: .utf8)) ?? ""
        return (status, out, err)
    }

    /// Runs a command and throws ``SandboxError`` (with its stderr) unless it exits 0;
    /// returns its stdout.
    @discardableResult
    public static func runChecked(_ executable: String, _ args: [String], stdin: String? = nil) throws -> String {
        let result = try run(executable, args, stdin: stdin)
        guard result.status == 0 else {
            let shown = ([executable] + args.prefix(3)).joined(separator: " ")
            throw SandboxError(
                "`\(shown)\(args.count > 3 ? " ..." : "")` exited with status \(result.status): "
                    + result.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return result.stdout
    }

    // MARK: Files

    /// Creates a fresh 0700 directory under the temp dir.
    public static func makePrivateTempDirectory() throws -> URL {
        let dir = FileManager.default.temporaryDirectory
            .appendingPathComponent("oms-sandbox-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(
            at: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return dir
    }

    /// Writes `contents` to `url` with mode 0600 (created with that mode, never wider).
    public static func writePrivateFile(_ url: URL, contents: String) throws {
        let fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw SandboxError("cannot create \(url.path): errno \(errno)") }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        defer { try? handle.close() }
        _ = fchmod(fd, 0o600)
        try handle.write(contentsOf: Data(contents.utf8))
    }

    // MARK: Private

    static func resolveExecutable(_ name: String) -> String? {
        if name.contains("/") { return FileManager.default.isExecutableFile(atPath: name) ? name : nil }
        let path =
            ProcessInfo.processInfo.environment["PATH"]
            ?? "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    private static func ipv4Address(_ host: String) -> in_addr? {
        var addr = in_addr()
        let literal = host == "localhost" ? "127.0.0.1" : host
        return inet_pton(AF_INET, literal, &addr) == 1 ? addr : nil
    }

    private static func makeSocket() -> Int32 {
        #if canImport(Darwin)
            return socket(AF_INET, SOCK_STREAM, 0)
        #else
            return socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #endif
    }

    private static func sockaddrIn(_ address: in_addr, port: Int) -> sockaddr_in {
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = in_port_t(UInt16(truncatingIfNeeded: port).bigEndian)
        sa.sin_addr = address
        return sa
    }

    /// Whether a TCP connection to host:port succeeds within 3 s (a host that is no IPv4 literal
    /// counts as reachable: the client decides).
    public static func canConnect(host: String, port: Int) -> Bool {
        guard let address = ipv4Address(host) else { return true }  // not an IPv4 literal: let the client decide
        let fd = makeSocket()
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 3, tv_usec: 0)
        _ = setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var sa = sockaddrIn(address, port: port)
        let rc = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return rc == 0
    }

    /// Whether 127.0.0.1:port can be bound now.
    public static func canBind(port: Int) -> Bool {
        guard port > 0, port < 65536, let address = ipv4Address("127.0.0.1") else { return false }
        let fd = makeSocket()
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var sa = sockaddrIn(address, port: port)
        let rc = withUnsafePointer(to: &sa) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        return rc == 0
    }
}
