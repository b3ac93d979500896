import Foundation
import SwiftASN1
import X509

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a leaf certificate names: a DNS name, or an IP address when the host is an IPv4/IPv6
/// literal (browsers match IP hosts only against iPAddress SANs, never against dNSName).
enum LeafName: Hashable, Sendable {
    case dns(String)
    /// The canonical text form (inet_ntop) and the 4 or 16 network-order bytes.
    case ipAddress(String, [UInt8])

    /// Parses a host as it comes from a CONNECT line or SNI: case and a trailing dot are ignored,
    /// IPv6 may be bracketed. Anything that is not a plausible A-label host name is refused, since
    /// the text goes straight into a certificate.
    init(host: String) throws {
        var text = host.lowercased()
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        if text.hasSuffix(".") { text.removeLast() }
        if let address = Self.parseIPv4(text) {
            self = .ipAddress(Self.format(address, family: AF_INET), address)
        } else if let address = Self.parseIPv6(text) {
            self = .ipAddress(Self.format(address, family: AF_INET6), address)
        } else if let problem = Self.dnsProblem(text) {
            throw CAError(.invalidHost, host: host, detail: problem)
        } else {
            self = .dns(text)
        }
    }

    /// The cache key and the leaf's common name.
    var text: String {
        switch self {
        case .dns(let name): return name
        case .ipAddress(let text, _): return text
        }
    }

    var generalName: GeneralName {
        switch self {
        case .dns(let name): return .dnsName(name)
        case .ipAddress(_, let bytes): return .ipAddress(ASN1OctetString(contentBytes: bytes[...]))
        }
    }

    /// Why `name` cannot be a dNSName, or nil if it can. Underscores are allowed: real hosts
    /// use them and browsers accept them. Wildcards are not: a leaf names exactly one host.
    private static func dnsProblem(_ name: String) -> String? {
        if name.isEmpty { return "empty host name" }
        if name.utf8.count > 253 { return "longer than 253 characters" }
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            if label.isEmpty { return "empty label" }
            if label.utf8.count > 63 { return "label longer than 63 characters" }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "label starts or ends with a hyphen" }
            for byte in label.utf8 {
                let allowed =
                    (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                    || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                if !allowed { return "character not allowed in a host name (use the punycode form)" }
            }
        }
        return nil
    }

    private static func parseIPv4(_ text: String) -> [UInt8]? {
        var address = in_addr()
        guard inet_pton(AF_INET, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    private static func parseIPv6(_ text: String) -> [UInt8]? {
        var address = in6_addr()
        guard inet_pton(AF_INET6, text, &address) == 1 else { return nil }
        return withUnsafeBytes(of: &address) { Array($0) }
    }

    private static func format(_ bytes: [UInt8], family: Int32) -> String {
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let result = bytes.withUnsafeBytes { raw in
            inet_ntop(family, raw.baseAddress, &buffer, socklen_t(buffer.count))
        }
        guard result != nil else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
