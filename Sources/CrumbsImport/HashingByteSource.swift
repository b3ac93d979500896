import Crypto

/// Passes bytes through while hashing them: a recording's SHA-256 (its identity for "already
/// imported") comes from the same read as its import, not from a second pass over the file.
public final class HashingByteSource: ByteSource {
    private var base: any ByteSource
    private var hasher = SHA256()
    /// Bytes passed through so far.
    public private(set) var count = 0

    public init(_ base: any ByteSource) {
        self.base = base
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let read = try base.read(into: buffer)
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[..<read]))
        count += read
        return read
    }

    /// Reads whatever is left (so that the hash covers the whole input), then the hex digest.
    public func finish() throws -> String {
        var rest = [UInt8](repeating: 0, count: 1 << 16)
        while try rest.withUnsafeMutableBytes({ try read(into: $0) }) > 0 {}
        return hasher.finalize().map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
