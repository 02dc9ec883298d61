import Containers
import Foundation
import Testing

@Suite("docker inspect JSON decoding")
struct InspectDecodingTests {
    /// Trimmed from a real `docker inspect` of Docker 20.10 (a container run the guide's way).
    static let dockerJSON = #"""
        [{
          "Id": "cc71c7048ec01058b411de6b96be24d1d7d19b7bdf1738327acf72374e931e21",
          "Name": "/oms_322",
          "Image": "sha256:a135ba3d5bb8287faf84b2825e7ced1fa15cdcf01fe73a399956b1f319948bbb",
          "State": {"Status": "running", "Running": true, "Paused": false, "Pid": 8408, "ExitCode": 0,
                    "StartedAt": "2026-11-26T07:58:07.912689742Z", "FinishedAt": "0001-01-01T00:00:00Z"},
          "HostConfig": {
            "Binds": ["/data/config.yaml:/home/admin/conf/config.yaml", "/data/oms/oms_logs:/home/admin/logs",
                      "/data/oms/oms_store:/home/ds/store", "/data/oms/oms_run:/home/ds/run:ro", "namedvol:/var/extra"],
            "NetworkMode": "host", "PortBindings": {}, "RestartPolicy": {"Name": "no", "MaximumRetryCount": 0},
            "CapAdd": null, "Privileged": false, "PidsLimit": null,
            "Ulimits": [{"Name": "nproc", "Hard": 65535, "Soft": 65535}]
          },
          "Mounts": [
            {"Type": "bind", "Source": "/data/config.yaml", "Destination": "/home/admin/conf/config.yaml", "Mode": "", "RW": true, "Propagation": "rprivate"},
            {"Type": "bind", "Source": "/data/oms/oms_logs", "Destination": "/home/admin/logs", "Mode": "", "RW": true, "Propagation": "rprivate"},
            {"Type": "volume", "Name": "namedvol", "Source": "/var/lib/docker/volumes/namedvol/_data", "Destination": "/var/extra", "Driver": "local", "Mode": "z", "RW": true}
          ],
          "Config": {
            "Hostname": "vm", "User": "", "Tty": true, "OpenStdin": true,
            "Env": ["OMS_HOST_IP=10.0.0.5", "X=a=b", "PATH=/usr/local/sbin:/usr/bin"],
            "Cmd": null, "Image": "reg.example.com:5000/oceanbase/oms:feature_3.2.2_ce", "WorkingDir": "",
            "Entrypoint": ["/root/docker_cmd.sh"], "Labels": {"a": "b"}
          }
        }]
        """#

    /// What podman prints (name without '/', ImageName, RLIMIT_ names, string entrypoint, no Binds).
    static let podmanJSON = #"""
        [{
          "Id": "5b0f3a",
          "Created": "2026-11-26T08:00:00.0Z",
          "Path": "/root/docker_cmd.sh",
          "State": {"OciVersion": "1.1.0", "Status": "exited", "Running": false, "Paused": false, "Pid": 0,
                    "ExitCode": 137, "StartedAt": "2026-11-26T08:00:01Z", "FinishedAt": "2026-11-26T09:00:01Z"},
          "Image": "a135ba3d5bb8287faf84b2825e7ced1fa15cdcf01fe73a399956b1f319948bbb",
          "ImageName": "localhost/oms:feature_3.2.2_ce",
          "Name": "oms_322",
          "Mounts": [
            {"Type": "bind", "Source": "/data/config.yaml", "Destination": "/home/admin/conf/config.yaml", "Driver": "", "Mode": "", "Options": ["rbind"], "RW": true, "Propagation": "rprivate"},
            {"Type": "bind", "Source": "/data/oms/oms_store", "Destination": "/home/ds/store", "Driver": "", "Mode": "", "Options": ["rbind"], "RW": false, "Propagation": "rprivate"}
          ],
          "Config": {"Hostname": "h", "Env": ["OMS_HOST_IP=10.0.0.5", "container=podman"], "Cmd": null,
                     "Image": "localhost/oms:feature_3.2.2_ce", "WorkingDir": "/", "Entrypoint": "/root/docker_cmd.sh",
                     "Labels": null, "Tty": true, "OpenStdin": true, "User": ""},
          "HostConfig": {"NetworkMode": "host", "Privileged": false, "PidsLimit": 2048,
                         "Ulimits": [{"Name": "RLIMIT_NOFILE", "Soft": 1048576, "Hard": 1048576}, {"Name": "RLIMIT_NPROC", "Soft": 65535, "Hard": 65535}],
                         "RestartPolicy": {"Name": "", "MaximumRetryCount": 0},
                         "PortBindings": {"8089/tcp": [{"HostIp": "", "HostPort": "8089"}]}, "CapAdd": ["CAP_SYS_PTRACE"]}
        }]
        """#

    @Test("Docker: name, image, state, mounts from Mounts completed by Binds, env, runtime settings")
    func docker() throws {
        let details = try ContainerDetails.decode(inspectJSON: Data(Self.dockerJSON.utf8))
        #expect(details.name == "oms_322")
        #expect(details.image == "reg.example.com:5000/oceanbase/oms:feature_3.2.2_ce")
        #expect(details.imageID.hasPrefix("sha256:a135"))
        #expect(
            details.state
                == ContainerState(
                    status: "running", running: true, pid: 8408, exitCode: 0,
                    startedAt: "2026-11-26T07:58:07.912689742Z", finishedAt: nil))
        #expect(
            details.mounts.map(\.destination) == [
                "/home/admin/conf/config.yaml", "/home/admin/logs", "/var/extra",
                "/home/ds/store", "/home/ds/run",
            ])
        #expect(
            details.mount(at: "/home/ds/run")
                == Mount(source: "/data/oms/oms_run", destination: "/home/ds/run", readOnly: true, type: .bind))
        #expect(
            details.mount(at: "/var/extra")
                == Mount(
                    source: "/var/lib/docker/volumes/namedvol/_data", destination: "/var/extra",
                    readOnly: false, type: .volume, volumeName: "namedvol"))
        #expect(
            details.env == [
                EnvVar(name: "OMS_HOST_IP", value: "10.0.0.5"), EnvVar(name: "X", value: "a=b"),
                EnvVar(name: "PATH", value: "/usr/local/sbin:/usr/bin"),
            ])
        #expect(details.envValue("X") == "a=b")
        #expect(details.networkMode == "host")
        #expect(!details.privileged)
        #expect(details.pidsLimit == nil)
        #expect(details.ulimits == [Ulimit(name: "nproc", soft: 65535, hard: 65535)])
        #expect(details.restartPolicy.isNone)
        #expect(details.labels == ["a": "b"])
        #expect(details.entrypoint == ["/root/docker_cmd.sh"])
        #expect(details.cmd.isEmpty)
        #expect(details.workingDir == nil && details.user == nil)
        #expect(details.tty && details.openStdin)
    }

    @Test("podman's docker-compatible output")
    func podman() throws {
        let details = try ContainerDetails.decode(inspectJSON: Data(Self.podmanJSON.utf8))
        #expect(details.name == "oms_322")
        #expect(details.image == "localhost/oms:feature_3.2.2_ce")
        #expect(!details.state.running && details.state.exitCode == 137 && details.state.status == "exited")
        #expect(details.mount(at: "/home/ds/store")?.readOnly == true)
        #expect(
            details.ulimits == [
                Ulimit(name: "nofile", soft: 1_048_576, hard: 1_048_576),
                Ulimit(name: "nproc", soft: 65535, hard: 65535),
            ])
        #expect(details.pidsLimit == 2048)
        #expect(details.restartPolicy.isNone && details.restartPolicy.argument == nil)
        #expect(details.entrypoint == ["/root/docker_cmd.sh"])
        #expect(details.labels.isEmpty)
        #expect(details.workingDir == "/")
        #expect(details.portBindings == [PortBinding(containerPort: "8089/tcp", hostIP: "", hostPort: "8089")])
        #expect(details.capAdd == ["CAP_SYS_PTRACE"])
    }

    @Test("bind specifications")
    func binds() {
        #expect(Mount(bindSpecification: "/a:/b") == Mount(source: "/a", destination: "/b"))
        #expect(Mount(bindSpecification: "/a:/b:ro,z")?.readOnly == true)
        #expect(Mount(bindSpecification: "vol:/b")?.type == .volume)
        #expect(Mount(bindSpecification: "nonsense") == nil)
    }

    @Test("garbage and empty output give a readable error")
    func garbage() {
        #expect(throws: InspectDecodingError.self) { try ContainerDetails.decode(inspectJSON: Data("not json".utf8)) }
        #expect(throws: InspectDecodingError.self) { try ContainerDetails.decode(inspectJSON: Data("[]".utf8)) }
    }

    @Test("image details: env and labels")
    func image() throws {
        let json =
            #"[{"Id":"sha256:1","RepoTags":["oms:feature_3.2.2_ce"],"Config":{"Env":["PATH=/bin","A=b=c"],"Labels":{"x":"y"}}}]"#
        let details = try ImageDetails.decode(inspectJSON: Data(json.utf8))
        #expect(
            details
                == ImageDetails(
                    id: "sha256:1", repoTags: ["oms:feature_3.2.2_ce"],
                    env: [EnvVar(name: "PATH", value: "/bin"), EnvVar(name: "A", value: "b=c")], labels: ["x": "y"]))
    }

    @Test("ContainerDetails round-trips through its own Codable form")
    func codable() throws {
        let details = try ContainerDetails.decode(inspectJSON: Data(Self.dockerJSON.utf8))
        let again = try JSONDecoder().decode(ContainerDetails.self, from: JSONEncoder().encode(details))
        #expect(again == details)
    }
}
