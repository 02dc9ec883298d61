import Foundation
import MetaDB
import Testing

@testable import OMSDeployment

@Suite("config.yaml parsing")
struct OMSConfigTests {
    @Test("quoted values, as the field writes them")
    func quotedValues() throws {
        let config = try OMSConfig.parse(yaml: ConfigSamples.quoted, path: "/data/config.yaml")
        #expect(config.metaHost == "10.0.0.5")
        #expect(config.metaPort == 2881)
        #expect(config.metaUser == "root@oms_tenant")
        #expect(config.metaPassword.reveal() == ConfigSamples.password)
        #expect(config.databases == MetaDatabases(rm: "oms_rm", cm: "oms_cm", cmHeartbeat: "oms_cm_heartbeat"))
        #expect(config.cmURL == "http://10.0.0.7:8088")
        #expect(config.cmLocation == 0)
        #expect(config.cmRegion == "")
        #expect(config.cmIsDefault == true)
        #expect(config.cmNodes == ["10.0.0.7"])
        #expect(config.tsdbEnabled == false)
        #expect(config.tsdbService == "INFLUXDB")
        #expect(config.ports == .defaults)
        #expect(config.ports.nginx == 8089 && config.ports.cm == 8088 && config.ports.ghana == 8090)
        #expect(config.ports.supervisor == 9000 && config.ports.sshd == 2023)
        #expect(config.extra.isEmpty)
    }

    @Test("bare values, numeric and string ports, quoted booleans, block lists, unknown keys kept")
    func bareValues() throws {
        let config = try OMSConfig.parse(yaml: ConfigSamples.bare, path: "/data/config.yaml")
        #expect(config.metaPort == 2881)
        #expect(config.metaPassword.reveal() == ConfigSamples.password)
        #expect(config.cmLocation == 127)
        #expect(config.cmRegion == "cn-hangzhou")
        #expect(config.cmRegionCN == "")
        #expect(config.cmIsDefault == false)
        #expect(config.cmNodes == ["10.0.0.7", "10.0.0.8"])
        #expect(config.tsdbEnabled == true)
        #expect(config.ports.nginx == 18089)
        #expect(config.ports.cm == 18088)
        #expect(config.ports.ghana == 8090)
        #expect(config.extra["some_future_key"] == "hello")
        #expect(config.extra["nested_future_key"]?.contains("a: 1") == true)
        #expect(config.extra["future_api_password"] == "other-secret")
    }

    @Test("cm_nodes given as a comma-separated string")
    func nodesAsString() throws {
        let yaml = ConfigSamples.replacing("cm_nodes", with: #"cm_nodes: "10.0.0.7,10.0.0.8""#)
        #expect(try OMSConfig.parse(yaml: yaml, path: "c.yaml").cmNodes == ["10.0.0.7", "10.0.0.8"])
    }

    @Test("a missing required key names the key and the file", arguments: OMSConfigKeys.required)
    func missingKey(_ key: String) throws {
        let error = try #require(throws: OMSConfigError.self) {
            try OMSConfig.parse(yaml: ConfigSamples.without(key), path: "/data/config.yaml")
        }
        #expect(error.problem == .missingKey(key))
        #expect(error.description.contains(key))
        #expect(error.description.contains("/data/config.yaml"))
    }

    @Test("an empty required value counts as missing", arguments: ["oms_meta_password", "oms_meta_host", "drc_cm_db"])
    func emptyKey(_ key: String) throws {
        for line in ["\(key): \"\"", "\(key):"] {
            let error = try #require(throws: OMSConfigError.self) {
                try OMSConfig.parse(yaml: ConfigSamples.replacing(key, with: line), path: "/data/config.yaml")
            }
            #expect(error.problem == .missingKey(key))
        }
    }

    @Test("the example message for a missing password")
    func passwordMessage() throws {
        let error = try #require(throws: OMSConfigError.self) {
            try OMSConfig.parse(yaml: ConfigSamples.without("oms_meta_password"), path: "/data/config.yaml")
        }
        #expect(
            error.description
                == "config.yaml at /data/config.yaml is missing oms_meta_password: add it (the metadata database password) and try again."
        )
    }

    @Test(
        "invalid values name the key",
        arguments: [
            ("oms_meta_port", "oms_meta_port: \"port\""),
            ("oms_meta_port", "oms_meta_port: 70000"),
            ("cm_location", "cm_location: 128"),
            ("cm_location", "cm_location: \"-1\""),
            ("cm_url", "cm_url: \"10.0.0.7:8088\""),
            ("cm_is_default", "cm_is_default: maybe"),
            ("oms_meta_user", "oms_meta_user: \"root@sys\""),
            ("nginx_server_port", "nginx_server_port: \"0\""),
        ])
    func invalidValue(_ key: String, _ line: String) throws {
        let yaml =
            ConfigSamples.quoted.contains("\(key):")
            ? ConfigSamples.replacing(key, with: line) : ConfigSamples.quoted + "\n" + line
        let error = try #require(throws: OMSConfigError.self) {
            try OMSConfig.parse(yaml: yaml, path: "/x/config.yaml")
        }
        #expect(error.key == key)
        #expect(error.description.contains(key) && error.description.contains("/x/config.yaml"))
    }

    @Test("two metadata databases with the same name are refused")
    func duplicateDatabases() throws {
        let yaml = ConfigSamples.replacing("drc_cm_db", with: #"drc_cm_db: "oms_rm""#)
        let error = try #require(throws: OMSConfigError.self) { try OMSConfig.parse(yaml: yaml, path: "c.yaml") }
        #expect(error.key == "drc_cm_db")
    }

    @Test("malformed YAML names the file and the line, and never quotes the content")
    func malformedYAML() throws {
        let yaml = """
            oms_meta_host: "10.0.0.5"
            oms_meta_port: "2881"
            oms_meta_password: "unterminated-\(ConfigSamples.password)
            drc_rm_db: "oms_rm"
            """
        let error = try #require(throws: OMSConfigError.self) {
            try OMSConfig.parse(yaml: yaml, path: "/data/config.yaml")
        }
        guard case .malformedYAML(let line, _, _) = error.problem else {
            Issue.record("expected malformedYAML, got \(error.problem)")
            return
        }
        #expect(line != nil)
        #expect(error.description.contains("/data/config.yaml"))
        #expect(error.description.contains("line \(line ?? 0)"))
        #expect(!error.description.contains(ConfigSamples.password))

        let badIndent = "oms_meta_host: a\n  oms_meta_port: 1\n bad: [\n"
        let second = try #require(throws: OMSConfigError.self) { try OMSConfig.parse(yaml: badIndent, path: "/c.yaml") }
        guard case .malformedYAML(let secondLine?, _, _) = second.problem else {
            Issue.record("expected a line for \(second.problem)")
            return
        }
        #expect(second.description.contains("line \(secondLine)"))
    }

    @Test("a file that is not a mapping")
    func notAMapping() throws {
        let error = try #require(throws: OMSConfigError.self) {
            try OMSConfig.parse(yaml: "- a\n- b\n", path: "/c.yaml")
        }
        #expect(error.problem == .notAMapping)
    }

    @Test("loading a missing file names it")
    func missingFile() throws {
        let error = try #require(throws: OMSConfigError.self) { try OMSConfig.load(path: "/nonexistent/config.yaml") }
        #expect(error.description.contains("/nonexistent/config.yaml"))
        #expect(error.problem == .unreadable(reason: "no such file"))
    }

    @Test("the passwords appear in no description, dump, mirror or JSON encoding")
    func passwordNeverShown() throws {
        let config = try OMSConfig.parse(
            yaml: ConfigSamples.bare + "\ntsdb_password: tsdb-secret-value", path: "/data/config.yaml")
        var dumped = ""
        dump(config, to: &dumped)
        let json = String(decoding: try JSONEncoder().encode(config), as: UTF8.self)
        let texts = [
            String(describing: config), String(reflecting: config), "\(config)", dumped, json,
            String(describing: config.metaConnection()),
        ]
        for text in texts {
            #expect(!text.contains(ConfigSamples.password), "password leaked in: \(text)")
            #expect(!text.contains("tsdb-secret-value"), "tsdb password leaked in: \(text)")
            #expect(!text.contains("other-secret"), "secret-looking extra value leaked in: \(text)")
        }
        #expect(json.contains("some_future_key"))
        let decoded = try JSONDecoder().decode(OMSConfig.self, from: Data(json.utf8))
        #expect(decoded.metaPassword.isEmpty)
        #expect(decoded.databases == config.databases)
    }

    @Test("metaConnection carries the endpoint and the password as a Secret")
    func metaConnection() throws {
        let config = try OMSConfig.parse(yaml: ConfigSamples.quoted, path: "c.yaml")
        let options = config.metaConnection(connectTimeout: 3, readTimeout: 30, writeTimeout: 40)
        #expect(options.host == "10.0.0.5")
        #expect(options.port == 2881)
        #expect(options.user == "root@oms_tenant")
        #expect(options.password.reveal() == ConfigSamples.password)
        #expect(options.database == nil)
        #expect(options.connectTimeout == 3 && options.readTimeout == 30 && options.writeTimeout == 40)
    }
}
