import Foundation

/// One packet of a capture file, as captured (the first `bytes.count` bytes of the frame).
public struct CapturedPacket: Sendable {
    /// 1-based, in file order.
    public var number: Int
    /// Byte offset of the packet's record in the file.
    public var offset: Int64
    public var time: Date
    /// The link layer's type (LINKTYPE_* of tcpdump.org: 1 Ethernet, 113 Linux cooked, …).
    public var linkType: Int
    public var bytes: [UInt8]
    /// The frame's length on the wire (larger than `bytes` when the snaplen cut it).
    public var originalLength: Int

    public init(number: Int, offset: Int64, time: Date, linkType: Int, bytes: [UInt8], originalLength: Int) {
        self.number = number
        self.offset = offset
        self.time = time
        self.linkType = linkType
        self.bytes = bytes
        self.originalLength = originalLength
    }
}

/// Reads pcap (microsecond and nanosecond, both byte orders) and pcapng (several sections and
/// interfaces of different link types, each with its own time resolution) from a byte stream,
/// one packet at a time, in file order. Its own reader rather than libpcap's: libpcap 1.10
/// refuses pcapng files whose interfaces differ in link type, and a reader of untrusted files
/// must say exactly where a file is broken (`ImportError.corruptCapture`) and keep what came before.
public struct CaptureFileReader {
    public enum Format: String, Sendable { case pcap, pcapng }

    public let format: Format
    private var input: BufferedInput
    private let name: String
    private var packets = 0
    /// The last packet's bytes: reused for the next one when nobody kept them (no allocation per
    /// packet; a packet someone kept keeps its own bytes, copy-on-write).
    private var packetBytes: [UInt8] = []
    // pcap
    private var bigEndian = false
    private var nanoseconds = false
    private var pcapLinkType = 0
    // pcapng: the current section's byte order and interfaces
    private var interfaces: [(linkType: Int, snaplen: Int, ticksPerSecond: Double)] = []

    /// Records larger than this are corrupt whatever their header says (the largest snaplen in
    /// use is 262,144; a pcapng block holds at most one such packet and its options).
    static let maximumRecord = 16 << 20

    public init(_ source: any ByteSource, name: String) throws {
        self.name = name
        input = BufferedInput(source)
        let magic = try input.read(4, name: name, what: "the file header")
        guard let magic else { throw ImportError(file: name, .corruptCapture("empty file", offset: 0)) }
        switch magic {
        case [0x0A, 0x0D, 0x0D, 0x0A]:
            format = .pcapng
            try readSectionHeader(typeAlreadyRead: true)
        case [0xD4, 0xC3, 0xB2, 0xA1], [0x4D, 0x3C, 0xB2, 0xA1]:
            format = .pcap
            nanoseconds = magic[0] == 0x4D
            try readPcapHeader()
        case [0xA1, 0xB2, 0xC3, 0xD4], [0xA1, 0xB2, 0x3C, 0x4D]:
            format = .pcap
            bigEndian = true
            nanoseconds = magic[3] == 0x4D
            try readPcapHeader()
        default:
            throw ImportError(
                file: name,
                .corruptCapture(
                    "not a pcap or pcapng file (first bytes \(magic.map { String(format: "%02x", $0) }.joined()))",
                    offset: 0))
        }
    }

    /// How many packets were read so far.
    public var packetCount: Int { packets }

    /// The next packet, or nil at the end of the file.
    public mutating func next() throws -> CapturedPacket? {
        switch format {
        case .pcap: return try nextPcap()
        case .pcapng: return try nextPcapng()
        }
    }

    // MARK: - pcap

    private mutating func readPcapHeader() throws {
        guard let header = try input.read(20, name: name, what: "the pcap file header") else {
            throw corrupt("the pcap file header is cut short", at: 4)
        }
        pcapLinkType = Int(Self.u32(header, 16, bigEndian) & 0x0FFF_FFFF)
    }

    private mutating func nextPcap() throws -> CapturedPacket? {
        let offset = input.offset
        let bigEndian = bigEndian
        guard
            let (seconds, fraction, captured, original) = try input.with(
                16, name: name, what: "the header of packet \(packets + 1)",
                { header in
                    (
                        Self.u32(header, 0, bigEndian), Self.u32(header, 4, bigEndian),
                        Int(Self.u32(header, 8, bigEndian)), Int(Self.u32(header, 12, bigEndian))
                    )
                })
        else { return nil }
        guard captured <= Self.maximumRecord else {
            throw corrupt("packet \(packets + 1) claims \(captured) captured bytes", at: offset)
        }
        guard fraction < (nanoseconds ? 1_000_000_000 : 1_000_000) else {
            throw corrupt("packet \(packets + 1) has an impossible timestamp fraction \(fraction)", at: offset)
        }
        packetBytes.removeAll(keepingCapacity: true)
        guard
            try input.with(
                captured, name: name, what: "packet \(packets + 1)", { packetBytes.append(contentsOf: $0) }) != nil
        else {
            throw corrupt("the file ends inside packet \(packets + 1)", at: offset)
        }
        let bytes = packetBytes
        packets += 1
        let time = Double(seconds) + Double(fraction) / (nanoseconds ? 1e9 : 1e6)
        return CapturedPacket(
            number: packets, offset: offset, time: Date(timeIntervalSince1970: time), linkType: pcapLinkType,
            bytes: bytes, originalLength: max(original, captured))
    }

    // MARK: - pcapng

    /// A Section Header Block: its byte-order magic decides how the section's numbers read.
    private mutating func readSectionHeader(typeAlreadyRead: Bool) throws {
        let offset = input.offset - (typeAlreadyRead ? 4 : 0)
        guard let head = try input.read(8, name: name, what: "a section header") else {
            throw corrupt("the file ends inside a section header", at: offset)
        }
        switch Array(head[4..<8]) {
        case [0x4D, 0x3C, 0x2B, 0x1A]: bigEndian = false
        case [0x1A, 0x2B, 0x3C, 0x4D]: bigEndian = true
        default: throw corrupt("a section header with an unknown byte-order magic", at: offset)
        }
        let length = Int(Self.u32(head, 0, bigEndian))
        try checkBlockLength(length, at: offset, minimum: 28)
        guard let rest = try input.read(length - 12, name: name, what: "a section header") else {
            throw corrupt("the file ends inside a section header", at: offset)
        }
        try checkTrailer(rest, length: length, at: offset)
        interfaces = []
    }

    private mutating func nextPcapng() throws -> CapturedPacket? {
        while true {
            let offset = input.offset
            guard let head = try input.read(8, name: name, what: "a block header") else { return nil }
            if Array(head[0..<4]) == [0x0A, 0x0D, 0x0D, 0x0A] {
                // A new section: read again from its length, which follows the type.
                input.unread(Array(head[4..<8]))
                try readSectionHeader(typeAlreadyRead: true)
                continue
            }
            let type = Self.u32(head, 0, bigEndian)
            let length = Int(Self.u32(head, 4, bigEndian))
            try checkBlockLength(length, at: offset, minimum: 12)
            guard let body = try input.read(length - 8, name: name, what: "a block") else {
                throw corrupt("the file ends inside a block of \(length) bytes", at: offset)
            }
            try checkTrailer(body, length: length, at: offset)
            let content = Array(body[0..<(body.count - 4)])
            switch type {
            case 1: try addInterface(content, at: offset)
            case 6, 2: return try enhancedPacket(content, obsolete: type == 2, at: offset)
            case 3: return try simplePacket(content, at: offset)
            default: continue  // statistics, name resolution, custom blocks: nothing to read
            }
        }
    }

    private mutating func addInterface(_ body: [UInt8], at offset: Int64) throws {
        guard body.count >= 8 else { throw corrupt("an interface description block is too short", at: offset) }
        let linkType = Int(Self.u16(body, 0, bigEndian))
        let snaplen = Int(Self.u32(body, 4, bigEndian))
        var ticks = 1e6
        // Options: code, length, value padded to 4; if_tsresol (9) sets the time unit.
        var position = 8
        while position + 4 <= body.count {
            let code = Self.u16(body, position, bigEndian)
            let length = Int(Self.u16(body, position + 2, bigEndian))
            if code == 0 { break }
            guard position + 4 + length <= body.count else {
                throw corrupt("an interface option runs past its block", at: offset)
            }
            if code == 9, length >= 1 {
                let value = body[position + 4]
                let exponent = Double(value & 0x7F)
                ticks = value & 0x80 == 0 ? pow(10, exponent) : pow(2, exponent)
                guard ticks.isFinite, ticks >= 1, exponent <= 63 else {
                    throw corrupt("an interface with an impossible time resolution", at: offset)
                }
            }
            position += 4 + (length + 3) / 4 * 4
        }
        interfaces.append((linkType, snaplen, ticks))
    }

    private mutating func enhancedPacket(_ body: [UInt8], obsolete: Bool, at offset: Int64) throws -> CapturedPacket {
        guard body.count >= 20 else { throw corrupt("a packet block is too short", at: offset) }
        let interface = obsolete ? Int(Self.u16(body, 0, bigEndian)) : Int(Self.u32(body, 0, bigEndian))
        guard interfaces.indices.contains(interface) else {
            throw corrupt("packet \(packets + 1) names interface \(interface), which was not described", at: offset)
        }
        let ticks = UInt64(Self.u32(body, 4, bigEndian)) << 32 | UInt64(Self.u32(body, 8, bigEndian))
        let captured = Int(Self.u32(body, 12, bigEndian))
        let original = Int(Self.u32(body, 16, bigEndian))
        guard captured <= body.count - 20 else {
            throw corrupt("packet \(packets + 1) claims \(captured) bytes, more than its block holds", at: offset)
        }
        packets += 1
        let time = Double(ticks) / interfaces[interface].ticksPerSecond
        return CapturedPacket(
            number: packets, offset: offset, time: Date(timeIntervalSince1970: time),
            linkType: interfaces[interface].linkType, bytes: Array(body[20..<(20 + captured)]),
            originalLength: max(original, captured))
    }

    private mutating func simplePacket(_ body: [UInt8], at offset: Int64) throws -> CapturedPacket {
        guard body.count >= 4, let interface = interfaces.first else {
            throw corrupt("a simple packet block without an interface", at: offset)
        }
        let original = Int(Self.u32(body, 0, bigEndian))
        let captured = min(original, body.count - 4, interface.snaplen > 0 ? interface.snaplen : Int.max)
        packets += 1
        // No timestamp in a simple packet block.
        return CapturedPacket(
            number: packets, offset: offset, time: Date(timeIntervalSince1970: 0), linkType: interface.linkType,
            bytes: Array(body[4..<(4 + captured)]), originalLength: original)
    }

    private func checkBlockLength(_ length: Int, at offset: Int64, minimum: Int) throws {
        guard length >= minimum, length % 4 == 0, length <= Self.maximumRecord else {
            throw corrupt("a block claims a length of \(length) bytes", at: offset)
        }
    }

    /// The block's length is repeated at its end: a mismatch means the length field is corrupt.
    private func checkTrailer(_ rest: [UInt8], length: Int, at offset: Int64) throws {
        guard Int(Self.u32(rest, rest.count - 4, bigEndian)) == length else {
            throw corrupt("a block's trailing length differs from its leading length (\(length))", at: offset)
        }
    }

    private func corrupt(_ what: String, at offset: Int64) -> ImportError {
        ImportError(file: name, .corruptCapture(what + " (after \(packets) packets)", offset: offset))
    }

    /// A 32-bit number at `at` (relative to the start of `bytes`, an array or a slice).
    static func u32<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ at: Int, _ bigEndian: Bool) -> UInt32
    where Bytes.Index == Int {
        let i = bytes.startIndex + at
        let (b0, b1, b2, b3) = (UInt32(bytes[i]), UInt32(bytes[i + 1]), UInt32(bytes[i + 2]), UInt32(bytes[i + 3]))
        return bigEndian ? b0 << 24 | b1 << 16 | b2 << 8 | b3 : b3 << 24 | b2 << 16 | b1 << 8 | b0
    }

    static func u16<Bytes: RandomAccessCollection<UInt8>>(_ bytes: Bytes, _ at: Int, _ bigEndian: Bool) -> UInt16
    where Bytes.Index == Int {
        let i = bytes.startIndex + at
        let (a, b) = (UInt16(bytes[i]), UInt16(bytes[i + 1]))
        return bigEndian ? a << 8 | b : b << 8 | a
    }
}

/// A byte source read in exact amounts, with the offset of what comes next. Reads 1 MiB at a
/// time straight into its buffer, which moves its unread bytes to the front only when less than
/// a record is left.
struct BufferedInput {
    private var source: any ByteSource
    private var buffer: [UInt8] = []
    private var start = 0
    private var end = 0
    private(set) var offset: Int64 = 0
    static let chunk = 1 << 20

    init(_ source: any ByteSource) {
        self.source = source
    }

    /// Makes `count` bytes available from `start`; false when the input ends before the first
    /// of them; an error when it ends after some of them (a truncated record).
    private mutating func fill(_ count: Int, name: String, what: () -> String) throws -> Bool {
        while end - start < count {
            if start > 0 {
                buffer.withUnsafeMutableBytes { bytes in
                    guard let base = bytes.baseAddress else { return }
                    memmove(base, base + start, end - start)
                }
                end -= start
                start = 0
            }
            let wanted = max(Self.chunk, count)
            if buffer.count < wanted { buffer += [UInt8](repeating: 0, count: wanted - buffer.count) }
            let got = try buffer.withUnsafeMutableBytes { bytes in
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: bytes[end...]))
            }
            if got == 0 {
                if end == start { return false }
                throw ImportError(file: name, .corruptCapture("the file ends inside \(what())", offset: offset))
            }
            end += got
        }
        return true
    }

    /// Exactly `count` bytes; nil when the input ends before the first of them; an error when it
    /// ends after some of them (a truncated record).
    mutating func read(_ count: Int, name: String, what: @autoclosure () -> String) throws -> [UInt8]? {
        guard try fill(count, name: name, what: what) else { return nil }
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        offset += Int64(count)
        return bytes
    }

    /// `count` bytes handed to `body` without a copy; nil when the input ends before them.
    mutating func with<T>(
        _ count: Int, name: String, what: @autoclosure () -> String, _ body: (ArraySlice<UInt8>) -> T
    ) throws -> T? {
        guard try fill(count, name: name, what: what) else { return nil }
        let result = body(buffer[start..<(start + count)])
        start += count
        offset += Int64(count)
        return result
    }

    /// Puts `bytes` back in front of what comes next (they are the bytes just read).
    mutating func unread(_ bytes: [UInt8]) {
        start -= bytes.count
        offset -= Int64(bytes.count)
    }
}
