#if canImport(Glibc)
    import Glibc
#endif

/// An IPv4 or IPv6 address as two integers: hashing and comparing it costs nothing, unlike its
/// text, which is made only when an event needs it (most packets never do).
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    /// IPv4 addresses sit in `low`, with `high` all ones (a value no IPv6 address has there).
    let high: UInt64
    let low: UInt64

    public init(ipv4 bytes: ArraySlice<UInt8>) {
        let base = bytes.startIndex
        high = .max
        low =
            UInt64(bytes[base]) << 24 | UInt64(bytes[base + 1]) << 16 | UInt64(bytes[base + 2]) << 8
            | UInt64(bytes[base + 3])
    }

    public init(ipv6 bytes: ArraySlice<UInt8>) {
        let base = bytes.startIndex
        var high: UInt64 = 0
        var low: UInt64 = 0
        for index in 0..<8 { high = high << 8 | UInt64(bytes[base + index]) }
        for index in 8..<16 { low = low << 8 | UInt64(bytes[base + index]) }
        // The one IPv6 prefix that would collide with the IPv4 marker is reserved; fold it.
        self.high = high == .max ? .max - 1 : high
        self.low = low
    }

    /// Parses dotted IPv4 or IPv6 text; nil for anything else.
    public init?(_ text: String) {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            let bytes = withUnsafeBytes(of: &v4) { Array($0) }
            self.init(ipv4: bytes[...])
            return
        }
        var v6 = in6_addr()
        guard inet_pton(AF_INET6, text, &v6) == 1 else { return nil }
        self.init(ipv6: withUnsafeBytes(of: &v6) { Array($0) }[...])
    }

    public var isIPv4: Bool { high == .max }

    /// Dotted IPv4, or RFC 5952 IPv6 (lower case, the longest run of zero groups as `::`).
    public var description: String {
        if isIPv4 {
            return "\(low >> 24 & 0xFF).\(low >> 16 & 0xFF).\(low >> 8 & 0xFF).\(low & 0xFF)"
        }
        let bytes =
            (0..<8).map { UInt8(truncatingIfNeeded: high >> (56 - 8 * $0)) }
            + (0..<8).map { UInt8(truncatingIfNeeded: low >> (56 - 8 * $0)) }
        return PacketDecoder.ipv6Text(bytes[...])
    }
}

/// An Ethernet address, kept as an integer until its text is needed.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    let value: UInt64

    init(_ bytes: ArraySlice<UInt8>) {
        value = bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    public var description: String {
        (0..<6).map { index in
            let byte = UInt8(truncatingIfNeeded: value >> (40 - 8 * index))
            return (byte < 16 ? "0" : "") + String(byte, radix: 16)
        }.joined(separator: ":")
    }
}
