/// The first file of a zip archive, read front to back from its local header (so that a zip on
/// standard input works too): stored or deflated, the two methods HAR exporters' zips use.
///
/// ZIPFoundation reads the central directory at the end of the file and pushes entry data to a
/// closure; the importers pull bytes from a stream, so this small reader is used instead.
public final class ZipEntryByteSource: ByteSource {
    /// The name of the entry inside the archive.
    public private(set) var entryName = ""
    private var body: any ByteSource

    private static let localHeaderSignature: UInt32 = 0x0403_4B50

    public init(_ base: any ByteSource, name: String) throws {
        var base = base
        while true {
            let header = try Self.readExactly(30, from: &base, name: name)
            guard Self.uint32(header, 0) == Self.localHeaderSignature else {
                throw ImportError(file: name, .compression("no file in the zip archive"))
            }
            let flags = Self.uint16(header, 6)
            let method = Self.uint16(header, 8)
            let compressedSize = Int(Self.uint32(header, 18))
            let nameLength = Int(Self.uint16(header, 26))
            let extraLength = Int(Self.uint16(header, 28))
            let entryName = String(decoding: try Self.readExactly(nameLength, from: &base, name: name), as: UTF8.self)
            _ = try Self.readExactly(extraLength, from: &base, name: name)
            guard flags & 0x1 == 0 else { throw ImportError(file: name, .compression("\(entryName) is encrypted")) }
            let sizeKnown = flags & 0x8 == 0
            // Folders (and empty files) come first in some archives: skip them.
            if entryName.hasSuffix("/") || (sizeKnown && compressedSize == 0) {
                _ = try Self.readExactly(compressedSize, from: &base, name: name)
                continue
            }
            self.entryName = entryName
            switch method {
            case 0:
                guard sizeKnown else {
                    throw ImportError(file: name, .compression("\(entryName): stored entry without a size"))
                }
                body = LimitedByteSource(base, limit: compressedSize, name: name)
            case 8:
                body = try InflatingByteSource(base, format: .rawDeflate, name: name)
            default:
                throw ImportError(file: name, .compression("\(entryName): compression method \(method) not supported"))
            }
            return
        }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try body.read(into: buffer)
    }

    private static func readExactly(_ count: Int, from source: inout any ByteSource, name: String) throws -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read = try bytes.withUnsafeMutableBytes {
                try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }
            guard read > 0 else { throw ImportError(file: name, .compression("the zip archive ends early")) }
            filled += read
        }
        return bytes
    }

    private static func uint16(_ bytes: [UInt8], _ offset: Int) -> UInt16 {
        UInt16(bytes[offset]) | UInt16(bytes[offset + 1]) << 8
    }

    private static func uint32(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        UInt32(uint16(bytes, offset)) | UInt32(uint16(bytes, offset + 2)) << 16
    }
}

/// At most `limit` bytes of another source; fewer is an error (a stored zip entry cut short).
struct LimitedByteSource: ByteSource {
    private var base: any ByteSource
    private var remaining: Int
    private let name: String

    init(_ base: any ByteSource, limit: Int, name: String) {
        self.base = base
        self.remaining = limit
        self.name = name
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard remaining > 0 else { return 0 }
        let count = try base.read(
            into: UnsafeMutableRawBufferPointer(rebasing: buffer[..<min(buffer.count, remaining)]))
        guard count > 0 else { throw ImportError(file: name, .compression("the zip archive ends early")) }
        remaining -= count
        return count
    }
}
