extension FilterListParser {
    /// Names every hosts file maps to loopback; blocking them would mean nothing.
    static let loopbackNames: Set<String> = [
        "localhost", "localhost.localdomain", "local", "broadcasthost", "ip6-localhost",
        "ip6-loopback", "ip6-localnet", "ip6-mcastprefix", "ip6-allnodes", "ip6-allrouters",
        "ip6-allhosts", "0.0.0.0",
    ]

    /// A hosts-file line (`0.0.0.0 ads.example.com other.example.com # note`) or, when
    /// `allowIP` is false or the line holds one field, a domain-list line (`ads.example.com`).
    /// Every host becomes a rule equivalent to `||host^`.
    mutating func parseHostsLine(_ line: Int32, _ range: Range<Int>, allowIP: Bool) {
        let first = bytes[range.lowerBound]
        if first == 0x23 || first == 0x21 { return skip(line, range, .comment) }  // # !
        var end = range.upperBound
        if let hash = firstIndex(of: 0x23, in: range) { end = hash }
        let content = trim(range.lowerBound..<end)
        var fields: [Range<Int>] = []
        var index = content.lowerBound
        while index < content.upperBound {
            while index < content.upperBound, Self.isSpace(bytes[index]) { index += 1 }
            let start = index
            while index < content.upperBound, !Self.isSpace(bytes[index]) { index += 1 }
            if start < index { fields.append(start..<index) }
        }
        guard let head = fields.first else { return skip(line, range, .invalidHost) }
        if allowIP, fields.count > 1, isAddress(head) {
            for field in fields.dropFirst() { addHost(line, range, field) }
        } else if fields.count == 1, !isAddress(head) {
            addHost(line, range, stripDomainDecorations(head))
        } else {
            skip(line, range, .invalidHost)
        }
    }

    /// Domain lists sometimes write `*.example.com`, `.example.com` or `||example.com^`.
    func stripDomainDecorations(_ field: Range<Int>) -> Range<Int> {
        var lower = field.lowerBound
        var upper = field.upperBound
        if upper - lower > 2, bytes[lower] == 0x2A, bytes[lower + 1] == 0x2E { lower += 2 }
        if upper - lower > 2, bytes[lower] == 0x7C, bytes[lower + 1] == 0x7C { lower += 2 }
        if upper - lower > 1, bytes[lower] == 0x2E { lower += 1 }
        if upper - lower > 1, bytes[upper - 1] == 0x5E { upper -= 1 }
        return lower..<upper
    }

    mutating func addHost(_ line: Int32, _ text: Range<Int>, _ host: Range<Int>) {
        guard isHostName(host) else { return skip(line, text, .invalidHost) }
        if host.count <= 21 {
            let name = String(decoding: bytes[host].lazy.map(FilterBytes.lower), as: UTF8.self)
            if Self.loopbackNames.contains(name) { return skip(line, text, .localhostEntry) }
        }
        add(
            NetworkRule(
                line: line, textStart: Int32(text.lowerBound), textLength: Int32(text.count),
                patternStart: Int32(host.lowerBound), patternLength: Int32(host.count), constraint: -1,
                types: .defaultTypes, flags: [.hostAnchor, .pureHost, .hostsEntry], hostLength: UInt16(host.count)))
    }

    /// Host bytes only, 1–253 of them, with no empty label.
    func isHostName(_ range: Range<Int>) -> Bool {
        guard !range.isEmpty, range.count <= 253, bytes[range.lowerBound] != 0x2E,
            bytes[range.upperBound - 1] != 0x2E
        else { return false }
        var previous: UInt8 = 0
        for index in range {
            let byte = bytes[index]
            if !FilterBytes.isHostByte(byte) || (byte == 0x2E && previous == 0x2E) { return false }
            previous = byte
        }
        return true
    }

    /// An IPv4 address (digits and dots) or IPv6 address (hex digits and colons).
    func isAddress(_ range: Range<Int>) -> Bool {
        var colons = 0
        var dots = 0
        for index in range {
            let byte = bytes[index]
            if byte == 0x3A { colons += 1 } else if byte == 0x2E { dots += 1 }
            let hex = (byte &- 0x30 < 10) || ((byte | 0x20) &- 0x61 < 6)
            guard hex || byte == 0x3A || byte == 0x2E || byte == 0x25 else { return false }
            // Hex letters only belong to IPv6: `dead.beef` is a host name.
            if !(byte &- 0x30 < 10), byte != 0x2E, colons == 0 {
                guard range.contains(where: { bytes[$0] == 0x3A }) else { return false }
            }
        }
        return colons >= 2 || dots == 3
    }

    func firstIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        var index = range.lowerBound
        while index < range.upperBound {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }
}
