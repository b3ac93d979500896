import Crypto
import Foundation

/// Keyed hash of cookie values (HMAC-SHA256 with the per-install secret, first 16 bytes as hex),
/// so the same value can be recognised across events without ever being stored.
public struct CookieHasher: Sendable {
    /// The HMAC with the key already absorbed: each hash starts from a copy of it instead of
    /// hashing the key again (two SHA-256 blocks saved per value; an import hashes millions).
    /// Never mutated: every use copies it first, and the copy's first update copies the digest
    /// state it shares (copy on write), so threads may share it although Crypto does not say so.
    nonisolated(unsafe) private let keyed: HMAC<SHA256>

    public init(secret: Data) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: secret))
    }

    public func hash(_ value: Substring) -> String {
        var mac = keyed
        var value = value
        value.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        return mac.finalize().withUnsafeBytes { digest in
            String(unsafeUninitializedCapacity: 32) { hex in
                let digits = Array("0123456789abcdef".utf8)
                for index in 0..<16 {
                    hex[2 * index] = digits[Int(digest[index] >> 4)]
                    hex[2 * index + 1] = digits[Int(digest[index] & 0x0F)]
                }
                return 32
            }
        }
    }
}
