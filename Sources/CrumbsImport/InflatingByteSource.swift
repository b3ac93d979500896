import CZlib

/// Decompresses a deflate stream pulled from another source, chunk by chunk, with zlib: gzip
/// (`.har.gz`, several members allowed as gzip(1) does) or the raw deflate of a zip entry.
/// A stream that ends before its end marker is an error, never a silently shorter file.
public final class InflatingByteSource: ByteSource {
    public enum Format: Sendable {
        /// gzip members (RFC 1952), one after the other.
        case gzip
        /// Raw deflate (RFC 1951), as stored in a zip entry.
        case rawDeflate
    }

    private var base: any ByteSource
    private let format: Format
    private let name: String
    private var stream = z_stream()
    private var input = [UInt8](repeating: 0, count: 1 << 16)
    private var inputEnd = false
    private var finished = false
    /// Bytes of the compressed input left over after the end of the stream (a zip's next header).
    public private(set) var trailing: [UInt8] = []

    public init(_ base: any ByteSource, format: Format, name: String) throws {
        self.base = base
        self.format = format
        self.name = name
        // 15 + 16: gzip wrapper; -15: no wrapper at all.
        let windowBits: Int32 = format == .gzip ? 15 + 16 : -15
        let status = inflateInit2_(&stream, windowBits, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw ImportError(file: name, .compression("zlib could not start (\(status))")) }
    }

    deinit {
        inflateEnd(&stream)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard !finished, buffer.count > 0 else { return 0 }
        return try input.withUnsafeMutableBytes { inputBytes in
            while true {
                if stream.avail_in == 0, !inputEnd {
                    let count = try base.read(into: inputBytes)
                    if count == 0 { inputEnd = true }
                    stream.next_in = inputBytes.baseAddress!.assumingMemoryBound(to: Bytef.self)
                    stream.avail_in = uInt(count)
                }
                stream.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(buffer.count)
                let status = inflate(&stream, Z_NO_FLUSH)
                let produced = buffer.count - Int(stream.avail_out)
                switch status {
                case Z_STREAM_END:
                    if try !startNextMember(inputBytes) { finished = true }
                    if produced > 0 || finished { return produced }
                case Z_OK:
                    if produced > 0 { return produced }
                case Z_BUF_ERROR where inputEnd && stream.avail_in == 0:
                    throw ImportError(file: name, .compression("the compressed data ends early (truncated file?)"))
                case Z_BUF_ERROR:
                    continue
                default:
                    let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                    throw ImportError(file: name, .compression("corrupt compressed data: \(message)"))
                }
            }
        }
    }

    /// After a gzip member, another may follow (`cat a.gz b.gz`); anything after a raw deflate
    /// stream belongs to the container and is kept in `trailing`.
    private func startNextMember(_ inputBytes: UnsafeMutableRawBufferPointer) throws -> Bool {
        let leftover = Array(UnsafeRawBufferPointer(start: stream.next_in, count: Int(stream.avail_in)))
        guard format == .gzip else {
            trailing = leftover
            return false
        }
        var rest = leftover
        if rest.isEmpty, !inputEnd {
            let count = try base.read(into: inputBytes)
            if count == 0 { inputEnd = true }
            rest = Array(UnsafeRawBufferPointer(rebasing: inputBytes[..<count]))
        }
        guard rest.first == 0x1F else { return false }
        inflateReset(&stream)
        // The input buffer is rewritten with what is left, so next_in points into owned memory.
        rest.withUnsafeBytes { inputBytes.copyMemory(from: $0) }
        stream.next_in = inputBytes.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_in = uInt(rest.count)
        return true
    }
}
