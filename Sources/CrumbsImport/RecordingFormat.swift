/// What a recording is, told from its first bytes (never from its name: `.har` files are often
/// gzipped by the tools that send them, and captures come as `.cap`, `.dump`, `.pcap`…).
public enum RecordingFormat: String, Sendable {
    case gzip
    case zip
    case pcap
    case pcapng
    /// Text that may be JSON (a HAR): whatever is not one of the binary formats above.
    case json

    /// Bytes enough to tell the formats apart.
    public static let magicLength = 4

    public static func detect(_ head: [UInt8]) -> RecordingFormat {
        if head.starts(with: [0x1F, 0x8B]) { return .gzip }
        if head.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return .zip }
        if head.starts(with: [0x0A, 0x0D, 0x0D, 0x0A]) { return .pcapng }
        let pcapMagics: [[UInt8]] = [
            [0xD4, 0xC3, 0xB2, 0xA1], [0xA1, 0xB2, 0xC3, 0xD4],  // microseconds, both byte orders
            [0x4D, 0x3C, 0xB2, 0xA1], [0xA1, 0xB2, 0x3C, 0x4D],  // nanoseconds
        ]
        if pcapMagics.contains(where: { head.starts(with: $0) }) { return .pcap }
        return .json
    }
}
