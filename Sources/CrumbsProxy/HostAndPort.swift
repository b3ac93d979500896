/// A host and port parsed from an authority (`example.com:443`, `[::1]:8080`, `example.com`).
struct HostAndPort: Hashable, Sendable, CustomStringConvertible {
    var host: String
    var port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    init?<S: StringProtocol>(authority: S, defaultPort: Int?) {
        var hostPart: Substring
        var portPart: Substring?
        let text = Substring(authority)
        if text.hasPrefix("[") {
            // IPv6 literal: [addr] or [addr]:port
            guard let close = text.firstIndex(of: "]") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let after = text[text.index(after: close)...]
            if !after.isEmpty {
                guard after.first == ":" else { return nil }
                portPart = after.dropFirst()
            }
        } else if let colon = text.lastIndex(of: ":") {
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        } else {
            hostPart = text
        }
        if hostPart.hasSuffix(".") { hostPart = hostPart.dropLast() }
        guard !hostPart.isEmpty, hostPart.allSatisfy(Self.isHostCharacter) else { return nil }
        let port: Int
        if let portPart {
            guard let value = Int(portPart), (1...65535).contains(value), portPart.allSatisfy(\.isNumber) else {
                return nil
            }
            port = value
        } else if let defaultPort {
            port = defaultPort
        } else {
            return nil
        }
        self.host = hostPart.lowercased()
        self.port = port
    }

    /// `host:port`, with brackets around IPv6 literals.
    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The Host header value: the port is left out when it is the scheme's default.
    func hostHeader(defaultPort: Int) -> String {
        let name = host.contains(":") ? "[\(host)]" : host
        return port == defaultPort ? name : "\(name):\(port)"
    }

    private static func isHostCharacter(_ character: Character) -> Bool {
        // Letters, digits, '-', '.', '_' (seen in real host names) and ':' / '%' for IPv6 literals.
        guard let ascii = character.asciiValue else { return false }
        return (0x30...0x39).contains(ascii) || (0x41...0x5A).contains(ascii) || (0x61...0x7A).contains(ascii)
            || ascii == 0x2D || ascii == 0x2E || ascii == 0x5F || ascii == 0x3A || ascii == 0x25
    }
}
