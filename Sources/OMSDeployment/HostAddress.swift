import Foundation

/// Checks an OMS_HOST_IP or `--host-ip` value before it becomes the host of a URL.
public enum HostAddress {
    /// Throws ``HostAddressError`` unless `host` is an IPv4 or IPv6 address (bracketed or not) or a DNS host name.
    public static func validate(_ host: String, source: String) throws {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        let isIPv6 = bare.contains(":") && bare.allSatisfy { $0.isHexDigit || $0 == ":" || $0 == "." }
        let isName =
            !bare.contains(":")
            && bare.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || "-._".contains($0) }
            && !bare.hasPrefix("-") && !bare.hasPrefix(".")
        guard !bare.isEmpty, bare.utf8.count <= 253, isIPv6 || isName,
            URL(string: "http://\(isIPv6 ? "[\(bare)]" : bare):1")?.host != nil
        else { throw HostAddressError(value: host, source: source) }
    }
}

/// A host value that is not an address or host name, so the console's URL cannot be built from it.
public struct HostAddressError: Error, Sendable, CustomStringConvertible, Equatable {
    /// The value as given.
    public var value: String
    /// Where it came from: `--host-ip` or the container's `OMS_HOST_IP`.
    public var source: String

    public var description: String {
        let shown = value.unicodeScalars.map { scalar in
            scalar.properties.generalCategory == .control ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
        }.joined()
        return "\(source) \"\(shown)\" is not an IP address or host name, so the OMS console's URL cannot be built "
            + "from it: "
            + "give this host's address, such as 10.0.0.7 (--host-ip, or OMS_HOST_IP on the container)."
    }
}
