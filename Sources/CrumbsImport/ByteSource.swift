import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Bytes pulled in chunks from a file, standard input or a decompressor: the importers read
/// recordings of any size with a bounded buffer, never as one `Data`.
public protocol ByteSource {
    /// Fills up to `buffer.count` bytes and returns how many; 0 at the end of the input.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// A file descriptor read with read(2): a regular file or standard input.
public final class FileByteSource: ByteSource {
    public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool

    /// Opens `path` for reading; "-" is standard input.
    public init(path: String) throws {
        if path == "-" {
            name = "standard input"
            descriptor = STDIN_FILENO
            ownsDescriptor = false
            return
        }
        name = path
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        ownsDescriptor = true
        guard descriptor >= 0 else { throw ImportError(file: path, .unreadable(String(cString: strerror(errno)))) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw ImportError(file: path, .unreadable("is a directory"))
        }
    }

    deinit {
        if ownsDescriptor { close(descriptor) }
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno == EINTR { continue }
            throw ImportError(file: name, .unreadable(String(cString: strerror(errno))))
        }
    }
}

/// The first bytes of an input, put back in front of the rest: the format is told from them
/// (magic bytes, not the file name) even on standard input, which cannot seek.
public struct PeekedByteSource: ByteSource {
    public private(set) var head: [UInt8]
    private var offset = 0
    private var base: any ByteSource

    /// Reads up to `count` bytes ahead (fewer only at the end of the input).
    public init(_ base: any ByteSource, peeking count: Int) throws {
        var base = base
        var head = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let read = try head.withUnsafeMutableBytes {
                try base.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[filled...]))
            }
            if read == 0 { break }
            filled += read
        }
        head.removeSubrange(filled...)
        self.head = head
        self.base = base
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        if offset < head.count {
            let count = min(buffer.count, head.count - offset)
            head.withUnsafeBytes {
                buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<offset + count]))
            }
            offset += count
            return count
        }
        return try base.read(into: buffer)
    }
}

/// Bytes in memory, handed out at most `chunk` at a time (tests and fuzzing read recordings
/// from memory, in pieces as small as one byte).
public struct MemoryByteSource: ByteSource {
    private let bytes: [UInt8]
    private let chunk: Int
    private var offset = 0

    public init(_ bytes: [UInt8], chunk: Int = .max) {
        self.bytes = bytes
        self.chunk = max(1, chunk)
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, chunk, bytes.count - offset)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes {
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: $0[offset..<(offset + count)]))
        }
        offset += count
        return count
    }
}
