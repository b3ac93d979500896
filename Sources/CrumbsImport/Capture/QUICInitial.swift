import Crypto
import _CryptoExtras

/// A client's QUIC Initial packet, decrypted: its destination connection ID and the CRYPTO frames
/// it carries (pieces of the TLS ClientHello). Initial packets are protected with keys anyone can
/// derive from the destination connection ID (RFC 9001 §5.2, RFC 9369 §3.3 for version 2): this
/// reads what every on-path observer can, nothing more.
struct QUICInitial: Equatable {
    struct CryptoPiece: Equatable {
        var offset: Int
        var bytes: [UInt8]
    }

    var version: UInt32
    var destinationConnectionID: [UInt8]
    var crypto: [CryptoPiece]

    enum Failure: Error, Equatable {
        /// Not a QUIC long-header Initial of a version Crumbs knows.
        case notInitial
        case truncated
        /// The AEAD tag did not match: not a client's Initial (a server's uses other keys).
        case undecryptable
    }

    static let version1: UInt32 = 0x0000_0001
    static let version2: UInt32 = 0x6B33_43CF

    /// Reads the first packet of a UDP datagram (coalesced packets after it are not needed: the
    /// Initial comes first).
    static func parse(_ datagram: ArraySlice<UInt8>) -> Result<QUICInitial, Failure> {
        let bytes = Array(datagram)
        // Long header (0x80) with the fixed bit (0x40).
        guard bytes.count >= 7, bytes[0] & 0xC0 == 0xC0 else { return .failure(.notInitial) }
        let version = bytes[1..<5].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let packetType = (bytes[0] >> 4) & 0x03
        switch version {
        case version1 where packetType == 0, version2 where packetType == 1: break
        default: return .failure(.notInitial)
        }
        var reader = Reader(bytes: bytes, position: 5)
        guard let dcidLength = reader.byte(), dcidLength <= 20, let dcid = reader.take(Int(dcidLength)),
            let scidLength = reader.byte(), scidLength <= 20, reader.take(Int(scidLength)) != nil,
            let tokenLength = reader.varint(), reader.take(Int(tokenLength)) != nil,
            let length = reader.varint(), length >= 20, reader.position + Int(length) <= bytes.count
        else { return .failure(.truncated) }
        let packetNumberOffset = reader.position
        let packetEnd = packetNumberOffset + Int(length)
        let keys = InitialKeys(version: version, destinationConnectionID: dcid)

        // Header protection: a mask from the 16 bytes that follow the (longest) packet number.
        var sample = Array(bytes[(packetNumberOffset + 4)..<(packetNumberOffset + 20)])
        guard (try? AES.permute(&sample, key: keys.headerProtection)) != nil else { return .failure(.undecryptable) }
        var header = Array(bytes[0..<packetNumberOffset])
        header[0] ^= sample[0] & 0x0F
        let packetNumberLength = Int(header[0] & 0x03) + 1
        var packetNumber: UInt64 = 0
        for index in 0..<packetNumberLength {
            let byte = bytes[packetNumberOffset + index] ^ sample[1 + index]
            header.append(byte)
            packetNumber = packetNumber << 8 | UInt64(byte)
        }
        let payloadStart = packetNumberOffset + packetNumberLength
        guard packetEnd - payloadStart > 16 else { return .failure(.truncated) }
        var nonce = keys.iv
        for index in 0..<8 { nonce[11 - index] ^= UInt8(truncatingIfNeeded: packetNumber >> (8 * UInt64(index))) }
        guard
            let box = try? AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: nonce), ciphertext: bytes[payloadStart..<(packetEnd - 16)],
                tag: bytes[(packetEnd - 16)..<packetEnd]),
            let plain = try? AES.GCM.open(box, using: keys.packet, authenticating: header)
        else { return .failure(.undecryptable) }
        guard let crypto = cryptoFrames(Array(plain)) else { return .failure(.truncated) }
        return .success(QUICInitial(version: version, destinationConnectionID: dcid, crypto: crypto))
    }

    /// The CRYPTO frames of a decrypted Initial payload; the other frames an Initial may carry
    /// (PADDING, PING, ACK, CONNECTION_CLOSE) are passed over. Nil for a frame that cannot be in
    /// an Initial, or runs past the end.
    static func cryptoFrames(_ payload: [UInt8]) -> [CryptoPiece]? {
        var reader = Reader(bytes: payload, position: 0)
        var pieces: [CryptoPiece] = []
        while let type = reader.varint() {
            switch type {
            case 0x00, 0x01: continue
            case 0x02, 0x03:
                guard reader.varint() != nil, reader.varint() != nil, let ranges = reader.varint(),
                    reader.varint() != nil, ranges < 1_000
                else { return nil }
                for _ in 0..<(ranges * 2 + (type == 0x03 ? 3 : 0)) {
                    guard reader.varint() != nil else { return nil }
                }
            case 0x06:
                guard let offset = reader.varint(), let length = reader.varint(), offset < 1 << 20,
                    let bytes = reader.take(Int(length))
                else { return nil }
                pieces.append(CryptoPiece(offset: Int(offset), bytes: bytes))
            case 0x1C:
                guard reader.varint() != nil, reader.varint() != nil, let length = reader.varint(),
                    reader.take(Int(length)) != nil
                else { return nil }
            default:
                return nil
            }
        }
        return pieces
    }
}

/// The client's Initial keys for one destination connection ID.
struct InitialKeys {
    let packet: SymmetricKey
    let iv: [UInt8]
    let headerProtection: SymmetricKey

    init(version: UInt32, destinationConnectionID: [UInt8]) {
        let v2 = version == QUICInitial.version2
        let salt: [UInt8] =
            v2
            ? [
                0x0D, 0xED, 0xE3, 0xDE, 0xF7, 0x00, 0xA6, 0xDB, 0x81, 0x93, 0x81, 0xBE, 0x6E, 0x26, 0x9D, 0xCB, 0xF9,
                0xBD, 0x2E, 0xD9,
            ]
            : [
                0x38, 0x76, 0x2C, 0xF7, 0xF5, 0x59, 0x34, 0xB3, 0x4D, 0x17, 0x9A, 0xE6, 0xA4, 0xC8, 0x0C, 0xAD, 0xCC,
                0xBB, 0x7F, 0x0A,
            ]
        let initial = HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: destinationConnectionID), salt: salt)
        let client = Self.expandLabel(SymmetricKey(data: Array(initial)), "client in", length: 32)
        let prefix = v2 ? "quicv2 " : "quic "
        packet = Self.expandLabel(client, prefix + "key", length: 16)
        iv = Self.expandLabel(client, prefix + "iv", length: 12).withUnsafeBytes { Array($0) }
        headerProtection = Self.expandLabel(client, prefix + "hp", length: 16)
    }

    /// TLS 1.3's HKDF-Expand-Label with an empty context (RFC 8446 §7.1).
    static func expandLabel(_ secret: SymmetricKey, _ label: String, length: Int) -> SymmetricKey {
        let full = Array("tls13 \(label)".utf8)
        let info = [UInt8(length >> 8), UInt8(length & 0xFF), UInt8(full.count)] + full + [0]
        return HKDF<SHA256>.expand(pseudoRandomKey: secret, info: info, outputByteCount: length)
    }
}

/// Reads bytes and QUIC variable-length integers (RFC 9000 §16) without running past the end.
private struct Reader {
    let bytes: [UInt8]
    var position: Int

    mutating func byte() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    mutating func take(_ count: Int) -> [UInt8]? {
        guard count >= 0, position + count <= bytes.count else { return nil }
        defer { position += count }
        return Array(bytes[position..<(position + count)])
    }

    mutating func varint() -> UInt64? {
        guard let first = byte() else { return nil }
        let length = 1 << Int(first >> 6)
        var value = UInt64(first & 0x3F)
        for _ in 1..<length {
            guard let next = byte() else { return nil }
            value = value << 8 | UInt64(next)
        }
        return value
    }
}
