import Foundation
import MetaDB
import Yams

extension OMSConfig {
    /// The largest config.yaml read (1 MiB; real ones are a few hundred bytes).
    public static let maxFileSize = 1 << 20
    /// The most values (scalars, lists, mappings, aliases expanded) a config.yaml may hold.
    public static let maxValues = 10_000

    /// Reads and validates config.yaml at `path`: a regular file of at most ``maxFileSize`` bytes.
    public static func load(path: String) throws -> OMSConfig {
        let data = try ConfigFileReader.contents(of: path, limit: maxFileSize)
        guard let text = String(data: data, encoding: .utf8) else {
            throw OMSConfigError(path: path, problem: .unreadable(reason: "it is not UTF-8 text"))
        }
        return try parse(yaml: text, path: path)
    }

    /// Parses and validates config.yaml's text; `path` is only for messages.
    ///
    /// Values may be quoted or bare; ports may be strings or numbers; `cm_nodes` a list (or a
    /// comma-separated string); booleans `true`/`false` bare or quoted. Errors never quote the
    /// file's content (a password may sit on the offending line).
    public static func parse(yaml: String, path: String) throws -> OMSConfig {
        let values = try topLevelValues(yaml: yaml, path: path)
        let reader = ValueReader(values: values, path: path)
        let user = try metaUser(reader)
        let databases = try metaDatabases(reader)
        let cmURL = try cmURL(reader)
        var extra: [String: String] = [:]
        for (name, node) in values where !OMSConfigKeys.known.contains(name) {
            extra[name] = ValueReader.text(of: node)
        }

        return OMSConfig(
            path: path,
            metaHost: try reader.requiredString("oms_meta_host"),
            metaPort: try reader.requiredInt("oms_meta_port", in: 1...65535, expected: "a port number from 1 to 65535"),
            metaUser: user,
            metaPassword: Secret(try reader.requiredString("oms_meta_password")),
            databases: databases,
            cmURL: cmURL,
            cmLocation: try reader.requiredInt("cm_location", in: 0...127, expected: "a region code from 0 to 127"),
            cmRegion: reader.optionalString("cm_region") ?? "",
            cmRegionCN: reader.optionalString("cm_region_cn") ?? "",
            cmIsDefault: try reader.optionalBool("cm_is_default") ?? true,
            cmNodes: try reader.optionalList("cm_nodes") ?? [],
            tsdbEnabled: try reader.optionalBool("tsdb_enabled") ?? false,
            tsdbService: reader.optionalString("tsdb_service") ?? "",
            tsdbURL: reader.optionalString("tsdb_url") ?? "",
            tsdbUsername: reader.optionalString("tsdb_username") ?? "",
            tsdbPassword: Secret(reader.optionalString("tsdb_password") ?? ""),
            ports: try ports(reader),
            extra: extra
        )
    }

    /// The top-level keys of the YAML text and their values, after checking it is a mapping of bounded size.
    private static func topLevelValues(yaml: String, path: String) throws -> [String: Node] {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw OMSConfigError(path: path, problem: Self.malformed(error))
        } catch {
            throw OMSConfigError(
                path: path, problem: .malformedYAML(line: nil, column: nil, problem: "unreadable YAML"))
        }
        // Aliases share their anchor's node: count what they expand to, with a budget, before anything walks it.
        var budget = maxValues
        if let root, !Self.fits(root, budget: &budget) {
            throw OMSConfigError(path: path, problem: .tooManyValues(limit: maxValues))
        }
        guard let mapping = root?.mapping else {
            throw OMSConfigError(path: path, problem: root == nil ? .missingKey("oms_meta_host") : .notAMapping)
        }
        var values: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.scalar?.string else { continue }
            values[name] = value
        }
        return values
    }

    /// `oms_meta_user`: a user of a MySQL tenant, never of OceanBase's sys tenant.
    private static func metaUser(_ reader: ValueReader) throws -> String {
        let user = try reader.requiredString("oms_meta_user")
        if Self.tenant(of: user)?.lowercased() == "sys" {
            throw OMSConfigError(
                path: reader.path,
                problem: .invalidValue(
                    key: "oms_meta_user",
                    expected: "a user of a MySQL tenant (user@tenant), not of OceanBase's sys tenant"))
        }
        return user
    }

    /// `drc_rm_db`, `drc_cm_db` and `drc_cm_heartbeat_db`: three different names.
    private static func metaDatabases(_ reader: ValueReader) throws -> MetaDatabases {
        let databases = MetaDatabases(
            rm: try reader.requiredString("drc_rm_db"),
            cm: try reader.requiredString("drc_cm_db"),
            cmHeartbeat: try reader.requiredString("drc_cm_heartbeat_db")
        )
        if Set(databases.all).count < 3 {
            throw OMSConfigError(
                path: reader.path,
                problem: .invalidValue(
                    key: databases.rm == databases.cm ? "drc_cm_db" : "drc_cm_heartbeat_db",
                    expected:
                        "a database name different from the other two of drc_rm_db, drc_cm_db and drc_cm_heartbeat_db"))
        }
        return databases
    }

    /// `cm_url`: an http:// or https:// URL.
    private static func cmURL(_ reader: ValueReader) throws -> String {
        let cmURL = try reader.requiredString("cm_url")
        let lowerURL = cmURL.lowercased()
        guard lowerURL.hasPrefix("http://") || lowerURL.hasPrefix("https://") else {
            throw OMSConfigError(
                path: reader.path,
                problem: .invalidValue(
                    key: "cm_url", expected: "an http:// or https:// URL such as http://10.0.0.7:8088"))
        }
        return cmURL
    }

    /// The service ports, each the default when the file does not set it.
    private static func ports(_ reader: ValueReader) throws -> OMSPorts {
        OMSPorts(
            nginx: try reader.optionalPort("nginx_server_port") ?? OMSPorts.defaults.nginx,
            cm: try reader.optionalPort("cm_server_port") ?? OMSPorts.defaults.cm,
            ghana: try reader.optionalPort("ghana_server_port") ?? OMSPorts.defaults.ghana,
            supervisor: try reader.optionalPort("supervisor_server_port") ?? OMSPorts.defaults.supervisor,
            sshd: try reader.optionalPort("sshd_server_port") ?? OMSPorts.defaults.sshd
        )
    }

    /// Whether `node` and everything below it count at most `budget` values (decremented as it goes).
    static func fits(_ node: Node, budget: inout Int) -> Bool {
        budget -= 1
        guard budget >= 0 else { return false }
        if let sequence = node.sequence {
            for item in sequence where !fits(item, budget: &budget) { return false }
        } else if let mapping = node.mapping {
            for (key, value) in mapping where !fits(key, budget: &budget) || !fits(value, budget: &budget) {
                return false
            }
        }
        return true
    }

    /// The tenant of `user@tenant[#cluster]`, if any.
    static func tenant(of user: String) -> String? {
        guard let at = user.firstIndex(of: "@") else { return nil }
        let rest = user[user.index(after: at)...]
        return String(rest.prefix { $0 != "#" })
    }

    /// A Yams error as line, column and libyaml's problem text (never the YAML itself).
    private static func malformed(_ error: YamlError) -> OMSConfigError.Problem {
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let text = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ": ")
            return .malformedYAML(line: mark.line, column: mark.column, problem: text)
        case .reader(let problem, _, _, _):
            return .malformedYAML(line: nil, column: nil, problem: problem)
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .malformedYAML(
                line: context.mark.line, column: context.mark.column,
                problem: "duplicated keys \(duplicates.sorted().joined(separator: ", "))")
        default:
            return .malformedYAML(line: nil, column: nil, problem: "unreadable YAML")
        }
    }

}

/// Typed access to config.yaml's top-level values, throwing ``OMSConfigError`` that names the key.
private struct ValueReader {
    var values: [String: Node]
    var path: String

    /// The value as text; nil for an absent key or a null value.
    func scalar(_ key: String) -> String? {
        guard let node = values[key] else { return nil }
        if ValueReader.isNull(node) { return nil }
        return node.scalar?.string.trimmingCharacters(in: .whitespaces)
    }

    func fail(_ problem: OMSConfigError.Problem) -> OMSConfigError {
        OMSConfigError(path: path, problem: problem)
    }

    func requiredString(_ key: String) throws -> String {
        guard let node = values[key], !ValueReader.isNull(node) else { throw fail(.missingKey(key)) }
        guard let text = scalar(key) else {
            throw fail(.invalidValue(key: key, expected: "a single value (quoted or bare), not a list or mapping"))
        }
        guard !text.isEmpty else { throw fail(.missingKey(key)) }
        return text
    }

    func requiredInt(_ key: String, in range: ClosedRange<Int>, expected: String) throws -> Int {
        let text = try requiredString(key)
        guard let value = Int(text), range.contains(value) else {
            throw fail(.invalidValue(key: key, expected: expected))
        }
        return value
    }

    func optionalString(_ key: String) -> String? {
        scalar(key)
    }

    func optionalPort(_ key: String) throws -> Int? {
        guard let text = scalar(key), !text.isEmpty else { return nil }
        guard let value = Int(text), (1...65535).contains(value) else {
            throw fail(.invalidValue(key: key, expected: "a port number from 1 to 65535"))
        }
        return value
    }

    func optionalBool(_ key: String) throws -> Bool? {
        guard let text = scalar(key), !text.isEmpty else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on", "1": return true
        case "false", "no", "off", "0": return false
        default: throw fail(.invalidValue(key: key, expected: "true or false"))
        }
    }

    func optionalList(_ key: String) throws -> [String]? {
        guard let node = values[key], !ValueReader.isNull(node) else { return nil }
        if let sequence = node.sequence {
            return try sequence.map { item in
                guard let text = item.scalar?.string else {
                    throw fail(.invalidValue(key: key, expected: "a list of host addresses"))
                }
                return text.trimmingCharacters(in: .whitespaces)
            }.filter { !$0.isEmpty }
        }
        guard let text = node.scalar?.string else {
            throw fail(.invalidValue(key: key, expected: "a list of host addresses"))
        }
        // A string such as "10.0.0.7,10.0.0.8" or "[10.0.0.7]".
        let trimmed = text.trimmingCharacters(in: CharacterSet(charactersIn: "[] "))
        return trimmed.split(separator: ",").map {
            $0.trimmingCharacters(in: CharacterSet(charactersIn: " \"'"))
        }.filter { !$0.isEmpty }
    }

    /// Whether a node is YAML's null: a bare empty value, `~` or `null` (quoted ones are strings).
    static func isNull(_ node: Node) -> Bool {
        guard let scalar = node.scalar, scalar.style == .plain else { return false }
        return node.null != nil
    }

    /// Any node as text: a scalar's string, else its YAML rendering.
    static func text(of node: Node) -> String {
        if let scalar = node.scalar { return ValueReader.isNull(node) ? "" : scalar.string }
        return ((try? Yams.serialize(node: node)) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
