/// What a TLS ClientHello says in the clear: the server name (SNI), the application protocols
/// offered (ALPN), the versions offered, and whether it carries Encrypted Client Hello (whose
/// outer SNI is not the real destination).
public struct TLSClientHello: Sendable, Equatable {
    public var serverName: String?
    public var alpn: [String]
    public var versions: [Int]
    public var encryptedClientHello: Bool

    public enum ParseResult: Sendable, Equatable {
        case hello(TLSClientHello)
        /// A handshake record that goes on past these bytes (the hello spans segments).
        case incomplete
        case notAClientHello
    }

    /// Reads a ClientHello from the start of a TCP stream's first bytes.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> ParseResult {
        let data = Array(bytes)
        // Handshake records (content type 22), TLS 1.0-1.3 on the record layer.
        guard data.count >= 5 else { return data.first ?? 22 == 22 ? .incomplete : .notAClientHello }
        guard data[0] == 22, data[1] == 3, data[2] <= 4 else { return .notAClientHello }
        // The handshake may span several records: gather their fragments.
        var handshake: [UInt8] = []
        var position = 0
        while position + 5 <= data.count, data[position] == 22 {
            let length = Int(data[position + 3]) << 8 | Int(data[position + 4])
            let end = position + 5 + length
            handshake += data[(position + 5)..<min(end, data.count)]
            if end > data.count { break }
            position = end
            if handshake.count >= 4, handshake.count >= 4 + Self.u24(handshake, 1) { break }
        }
        return parseHandshake(handshake)
    }

    /// Reads a ClientHello from handshake messages without the record layer (QUIC's CRYPTO
    /// stream).
    public static func parseHandshake(_ handshake: [UInt8]) -> ParseResult {
        guard handshake.count >= 4, handshake[0] == 1 else {
            return handshake.count < 4 && handshake.first ?? 1 == 1 ? .incomplete : .notAClientHello
        }
        let length = Self.u24(handshake, 1)
        guard handshake.count >= 4 + length else { return .incomplete }
        return parseBody(Array(handshake[4..<(4 + length)])).map { .hello($0) } ?? .notAClientHello
    }

    /// The length of the handshake message starting `handshake`, once its header is there.
    static func messageLength(_ handshake: [UInt8]) -> Int? {
        handshake.count >= 4 ? 4 + u24(handshake, 1) : nil
    }

    static func parseBody(_ body: [UInt8]) -> TLSClientHello? {
        var hello = TLSClientHello(serverName: nil, alpn: [], versions: [], encryptedClientHello: false)
        // version (2), random (32), session id, cipher suites, compression methods
        var position = 34
        guard position < body.count else { return nil }
        position += 1 + Int(body[position])
        guard position + 2 <= body.count else { return nil }
        position += 2 + (Int(body[position]) << 8 | Int(body[position + 1]))
        guard position < body.count else { return nil }
        position += 1 + Int(body[position])
        hello.versions = [Int(body[0]) << 8 | Int(body[1])]
        guard position + 2 <= body.count else { return hello }  // no extensions
        let extensionsEnd = position + 2 + (Int(body[position]) << 8 | Int(body[position + 1]))
        guard extensionsEnd <= body.count else { return nil }
        position += 2
        while position + 4 <= extensionsEnd {
            let type = Int(body[position]) << 8 | Int(body[position + 1])
            let length = Int(body[position + 2]) << 8 | Int(body[position + 3])
            let start = position + 4
            guard start + length <= extensionsEnd else { return nil }
            let value = Array(body[start..<(start + length)])
            switch type {
            case 0: hello.serverName = serverName(value)
            case 16:
                hello.alpn = list(value, lengthBytes: 2, itemLengthBytes: 1).map { String(decoding: $0, as: UTF8.self) }
            case 43:
                let items = value.isEmpty ? [] : Array(value.dropFirst())
                hello.versions = stride(from: 0, to: items.count - 1, by: 2).map {
                    Int(items[$0]) << 8 | Int(items[$0 + 1])
                }
            case 0xFE0D: hello.encryptedClientHello = true
            default: break
            }
            position = start + length
        }
        return hello
    }

    /// The host_name entry of a server_name extension, lower-cased.
    static func serverName(_ value: [UInt8]) -> String? {
        guard value.count >= 5 else { return nil }
        var position = 2
        while position + 3 <= value.count {
            let type = value[position]
            let length = Int(value[position + 1]) << 8 | Int(value[position + 2])
            guard position + 3 + length <= value.count else { return nil }
            if type == 0 {
                let name = String(decoding: value[(position + 3)..<(position + 3 + length)], as: UTF8.self)
                return name.isEmpty ? nil : name.lowercased()
            }
            position += 3 + length
        }
        return nil
    }

    static func list(_ value: [UInt8], lengthBytes: Int, itemLengthBytes: Int) -> [ArraySlice<UInt8>] {
        var items: [ArraySlice<UInt8>] = []
        var position = lengthBytes
        while position + itemLengthBytes <= value.count {
            let length = Int(value[position])
            position += itemLengthBytes
            guard position + length <= value.count else { break }
            items.append(value[position..<(position + length)])
            position += length
        }
        return items
    }

    static func u24(_ bytes: [UInt8], _ at: Int) -> Int {
        Int(bytes[at]) << 16 | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2])
    }
}
