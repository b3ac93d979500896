import Crypto
import Dispatch

/// Passes bytes through while hashing them: a recording's SHA-256 (its identity for "already
/// imported") comes from the same read as its import, not from a second pass over the file.
/// The hashing runs on a queue of its own, beside the reading (it took a quarter of a capture
/// import's time on the reading thread); at most `maximumBacklog` chunks wait for it.
// @unchecked: `hasher` is touched only on `queue`; the rest only by the reading thread.
public final class HashingByteSource: ByteSource, @unchecked Sendable {
    private var base: any ByteSource
    private var hasher = SHA256()
    private let queue = DispatchQueue(label: "crumbs.import.sha256")
    private let backlog: DispatchSemaphore
    /// False for a dry run, which shows no hash: the bytes are only counted.
    private let enabled: Bool
    /// Bytes passed through so far.
    public private(set) var count = 0

    public init(_ base: any ByteSource, enabled: Bool = true, maximumBacklog: Int = 64) {
        self.base = base
        self.enabled = enabled
        backlog = DispatchSemaphore(value: maximumBacklog)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let read = try base.read(into: buffer)
        guard read > 0 else { return 0 }
        guard enabled else {
            count += read
            return read
        }
        let chunk = [UInt8](UnsafeRawBufferPointer(rebasing: buffer[..<read]))
        count += read
        backlog.wait()
        queue.async { [self] in
            hasher.update(data: chunk)
            backlog.signal()
        }
        return read
    }

    /// Reads whatever is left (so that the hash covers the whole input), then the hex digest
    /// (empty when hashing is not enabled).
    public func finish() throws -> String {
        var rest = [UInt8](repeating: 0, count: 1 << 16)
        while try rest.withUnsafeMutableBytes({ try read(into: $0) }) > 0 {}
        guard enabled else { return "" }
        let digest = queue.sync { hasher.finalize() }
        return digest.map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
