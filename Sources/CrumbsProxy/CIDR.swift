import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An IPv4 or IPv6 network such as `127.0.0.0/8` or `::1/128`, for the client allow list.
public struct CIDR: Sendable, Equatable, CustomStringConvertible {
    private let network: [UInt8]
    private let prefixLength: Int

    /// 127.0.0.0/8 and ::1: the only clients allowed unless the user says otherwise.
    public static let loopback: [CIDR] = [CIDR("127.0.0.0/8")!, CIDR("::1/128")!]

    /// Parses `address/prefix`; a bare address means a single host.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1)
        guard let first = parts.first, let bytes = Self.addressBytes(String(first)) else { return nil }
        let maxPrefix = bytes.count * 8
        let prefix = parts.count == 2 ? Int(parts[1]) : maxPrefix
        guard let prefix, (0...maxPrefix).contains(prefix) else { return nil }
        self.network = bytes
        self.prefixLength = prefix
    }

    public var description: String {
        // inet_ntop writes the canonical short form (`::1`, not `0:0:0:0:0:0:0:1`).
        var text = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = network.count == 4 ? AF_INET : AF_INET6
        let written = network.withUnsafeBytes { inet_ntop(family, $0.baseAddress, &text, socklen_t(text.count)) }
        let address = written == nil ? "?" : String(cString: text)
        return "\(address)/\(prefixLength)"
    }

    /// True when `address` lies in this network. IPv4-mapped IPv6 clients (::ffff:a.b.c.d) are
    /// compared as IPv4, since a dual-stack listener reports IPv4 clients that way.
    public func contains(_ address: SocketAddress) -> Bool {
        guard var bytes = Self.bytes(of: address) else { return false }
        if bytes.count == 16, network.count == 4, bytes[0..<12] == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF] {
            bytes = Array(bytes[12...])
        }
        guard bytes.count == network.count else { return false }
        var remaining = prefixLength
        for index in bytes.indices where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
            if bytes[index] & mask != network[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    private static func addressBytes(_ text: String) -> [UInt8]? {
        guard let address = try? SocketAddress(ipAddress: text, port: 0) else { return nil }
        return bytes(of: address)
    }

    private static func bytes(of address: SocketAddress) -> [UInt8]? {
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        case .unixDomainSocket:
            return nil
        }
    }
}
