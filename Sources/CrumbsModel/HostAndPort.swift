/// A host and port parsed from an authority (`example.com:443`, `[::1]:8080`, `example.com`).
public struct HostAndPort: Hashable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Inlinable: the proxy parses an authority per request, and needs it specialised for its
    /// string type rather than through the generic entry point.
    @inlinable
    public init?<S: StringProtocol>(authority: S, defaultPort: Int?) {
        // Over UTF-8 bytes: one of the per-request costs worth keeping small.
        let bytes = Array(authority.utf8)
        var hostBytes: ArraySlice<UInt8>
        var portBytes: ArraySlice<UInt8>?
        if bytes.first == UInt8(ascii: "[") {
            // IPv6 literal: [addr] or [addr]:port
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return nil }
            hostBytes = bytes[1..<close]
            let after = bytes[(close + 1)...]
            if !after.isEmpty {
                guard after.first == UInt8(ascii: ":") else { return nil }
                portBytes = after.dropFirst()
            }
        } else if let colon = bytes.lastIndex(of: UInt8(ascii: ":")) {
            hostBytes = bytes[..<colon]
            portBytes = bytes[(colon + 1)...]
        } else {
            hostBytes = bytes[...]
        }
        if hostBytes.last == UInt8(ascii: ".") { hostBytes = hostBytes.dropLast() }
        guard !hostBytes.isEmpty, hostBytes.allSatisfy(Self.isHostByte) else { return nil }
        let port: Int
        if let portBytes {
            guard !portBytes.isEmpty, portBytes.count <= 5,
                portBytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else { return nil }
            let value = portBytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard (1...65535).contains(value) else { return nil }
            port = value
        } else if let defaultPort {
            port = defaultPort
        } else {
            return nil
        }
        // Lower-case ASCII in place: the bytes were checked to be host characters.
        self.host = String(decoding: hostBytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
        self.port = port
    }

    /// `host:port`, with brackets around IPv6 literals.
    public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The Host header value: the port is left out when it is the scheme's default.
    public func hostHeader(defaultPort: Int) -> String {
        let name = isIPv6 ? "[\(host)]" : host
        return port == defaultPort ? name : "\(name):\(port)"
    }

    /// An IPv6 literal (the only hosts with a colon). Over bytes: `String.contains` here is
    /// Foundation's, which goes through CFString on every request.
    @inlinable
    public var isIPv6: Bool { host.utf8.contains(UInt8(ascii: ":")) }

    @usableFromInline
    static func isHostByte(_ ascii: UInt8) -> Bool {
        // Letters, digits, '-', '.', '_' (seen in real host names) and ':' / '%' for IPv6 literals.
        return (0x30...0x39).contains(ascii) || (0x41...0x5A).contains(ascii) || (0x61...0x7A).contains(ascii)
            || ascii == 0x2D || ascii == 0x2E || ascii == 0x5F || ascii == 0x3A || ascii == 0x25
    }
}
