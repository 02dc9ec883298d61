import Containers
import Foundation
import SandboxSupport
import Testing

@Suite("docker run argv and its shell rendering")
struct ContainerRunSpecTests {
    static let spec = ContainerRunSpec(
        name: "oms_330",
        image: "reg.example.com:5000/oceanbase/oms:feature_3.3.0_ce",
        mounts: [
            Mount(source: "/data/config.yaml", destination: "/home/admin/conf/config.yaml"),
            Mount(source: "/data/oms/oms logs", destination: "/home/admin/logs"),
            Mount(source: "/data/oms/oms_store", destination: "/home/ds/store"),
            Mount(source: "/data/oms/oms_run", destination: "/home/ds/run"),
            Mount(source: "/data/oms/https_crt", destination: "/etc/pki/nginx/oms_server.crt", readOnly: true),
            Mount(source: "/data/it's:odd", destination: "/extra"),
        ],
        env: [
            EnvVar(name: "OMS_HOST_IP", value: "10.0.0.5"),
            EnvVar(name: "JAVA_OPTS", value: "-Xmx4g -Da=b=c"),
            EnvVar(name: "QUOTE", value: "it's \"here\" $HOME `x`"),
            EnvVar(name: "TSDB_PASSWORD", value: "hunter2-secret"),
        ],
        networkMode: "host",
        privileged: false,
        pidsLimit: -1,
        ulimits: [Ulimit(name: "nproc", soft: 65535, hard: 65535)],
        restartPolicy: RestartPolicy(name: "on-failure", maximumRetryCount: 3),
        labels: ["team": "data platform"]
    )

    @Test("exact argv in the guide's order")
    func argv() {
        #expect(
            Self.spec.dockerArguments() == [
                "run", "-dit", "--net", "host",
                "-v", "/data/config.yaml:/home/admin/conf/config.yaml",
                "-v", "/data/oms/oms logs:/home/admin/logs",
                "-v", "/data/oms/oms_store:/home/ds/store",
                "-v", "/data/oms/oms_run:/home/ds/run",
                "-v", "/data/oms/https_crt:/etc/pki/nginx/oms_server.crt:ro",
                "--mount", "type=bind,source=/data/it's:odd,target=/extra",
                "-e", "OMS_HOST_IP=10.0.0.5",
                "-e", "JAVA_OPTS=-Xmx4g -Da=b=c",
                "-e", "QUOTE=it's \"here\" $HOME `x`",
                "-e", "TSDB_PASSWORD",
                "--pids-limit", "-1",
                "--ulimit", "nproc=65535:65535",
                "--restart", "on-failure:3",
                "--label", "team=data platform",
                "--name", "oms_330",
                "reg.example.com:5000/oceanbase/oms:feature_3.3.0_ce",
            ])
        #expect(Self.spec.passedThroughEnvironment == ["TSDB_PASSWORD": "hunter2-secret"])
    }

    @Test("privileged and -d without -it")
    func flags() {
        var spec = ContainerRunSpec(
            name: "x", image: "i", networkMode: nil, privileged: true, interactive: false, tty: false)
        #expect(spec.dockerArguments() == ["run", "-d", "--privileged=true", "--name", "x", "i"])
        spec.pidsLimit = 4096
        spec.portBindings = [PortBinding(containerPort: "8089/tcp", hostIP: "", hostPort: "8089")]
        spec.capAdd = ["SYS_PTRACE"]
        #expect(
            spec.dockerArguments() == [
                "run", "-d", "--privileged=true", "--pids-limit", "4096",
                "-p", "8089:8089", "--cap-add", "SYS_PTRACE", "--name", "x", "i",
            ])
    }

    @Test("docker create: the same argv as run without -d, no secret on it")
    func createArguments() {
        let run = Self.spec.dockerArguments()
        let create = Self.spec.dockerCreateArguments()
        #expect(create.first == "create" && create.dropFirst().first == "-it", "\(create)")
        #expect(Array(create.dropFirst(2)) == Array(run.dropFirst(2)))
        #expect(!create.joined(separator: " ").contains("hunter2-secret"))
        let bare = ContainerRunSpec(name: "x", image: "i", networkMode: nil, interactive: false, tty: false)
        #expect(bare.dockerCreateArguments() == ["create", "--name", "x", "i"])
    }

    @Test("shell rendering: every line but the last ends with \\, no comment lines, no secret")
    func shellShape() {
        let text = Self.spec.shellCommand()
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count > 10)
        for line in lines.dropLast() { #expect(line.hasSuffix(" \\"), "line lacks continuation: \(line)") }
        #expect(!lines.last!.hasSuffix("\\"))
        #expect(!lines.contains { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") })
        #expect(!text.contains("hunter2-secret"))
        #expect(lines.first == "docker run -dit --net host \\")
        #expect(text.contains("  -e 'QUOTE=it'\\''s \"here\" $HOME `x`' \\"))
    }

    @Test("sh -n accepts it, and the shell hands docker exactly dockerArguments()")
    func shellRoundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let script = try directory.write("run.sh", Self.spec.shellCommand() + "\n")
        let syntax = try Sandbox.run("sh", ["-n", script])
        #expect(syntax.status == 0, "sh -n: \(syntax.stderr)")

        // A stand-in `docker` that prints each argument NUL-terminated.
        let probe = try directory.write(
            "probe.sh",
            """
            docker() { for a in "$@"; do printf '%s\\0' "$a"; done; }
            TSDB_PASSWORD=x
            export TSDB_PASSWORD
            . \(script)
            """)
        let result = try Sandbox.run("sh", [probe])
        #expect(result.status == 0, "\(result.stderr)")
        let words = result.stdout.split(separator: "\0", omittingEmptySubsequences: false).dropLast().map(String.init)
        #expect(words == Self.spec.dockerArguments())
    }

    @Test("quoting")
    func quoting() {
        #expect(ShellQuoting.quote("plain-word_1.2:3/x=y,z@%+") == "plain-word_1.2:3/x=y,z@%+")
        #expect(ShellQuoting.quote("") == "''")
        #expect(ShellQuoting.quote("a b") == "'a b'")
        #expect(ShellQuoting.quote("it's") == "'it'\\''s'")
        #expect(ShellQuoting.quote("$x") == "'$x'")
    }

    @Test("secret-looking names")
    func secretNames() {
        for name in ["OMS_META_PASSWORD", "db_pwd", "API_TOKEN", "MY_SECRET", "AWS_ACCESS_KEY_ID", "PASS"] {
            #expect(SecretNames.looksSecret(name), "\(name)")
        }
        for name in ["OMS_HOST_IP", "PWD", "PATH", "JAVA_OPTS", "PASSAGE_DIR"] {
            #expect(!SecretNames.looksSecret(name), "\(name)")
        }
    }
}
