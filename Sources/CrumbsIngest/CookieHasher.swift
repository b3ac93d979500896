import Crypto
import Foundation

/// Keyed hash of cookie values (HMAC-SHA256 with the per-install secret, first 16 bytes as hex),
/// so the same value can be recognised across events without ever being stored.
public struct CookieHasher: Sendable {
    private let secret: [UInt8]

    public init(secret: Data) {
        self.secret = Array(secret)
    }

    public func hash(_ value: Substring) -> String {
        var mac = HMAC<SHA256>(key: SymmetricKey(data: secret))
        var copy = String(value)
        copy.withUTF8 { mac.update(data: UnsafeRawBufferPointer($0)) }
        let digest = mac.finalize()
        return digest.prefix(16).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()
    }
}
