extension FilterList {
    /// Guesses the syntax from the first 500 lines that say something: an `[Adblock…]` header
    /// decides at once; otherwise the majority among hosts lines (`IP host`), bare domains and
    /// anything else (Adblock Plus syntax) wins, a tie going to Adblock Plus. `!` comments vote
    /// for Adblock Plus.
    static func detectFormat(_ bytes: [UInt8]) -> Format {
        bytes.withUnsafeBufferPointer { buffer in
            let parser = FilterListParser(bytes: buffer)
            var hosts = 0
            var domains = 0
            var adblock = 0
            var seen = 0
            var start = 0
            while start < buffer.count, seen < 500 {
                var end = start
                while end < buffer.count, buffer[end] != 0x0A { end += 1 }
                let line = parser.trim(start..<end)
                start = end + 1
                guard let first = line.first.map({ buffer[$0] }) else { continue }
                if first == 0x5B, buffer[line].lazy.map(FilterBytes.lower).starts(with: "[adblock".utf8) {
                    return .adblock
                }
                if first == 0x23, !parser.isCosmetic(line) { continue }  // a hosts-style comment
                seen += 1
                if first == 0x21 {
                    adblock += 1
                    continue
                }
                // Hosts files and domain lists allow a `# comment` after the entry.
                var content = line
                if let hash = parser.firstIndex(of: 0x23, in: line), hash > line.lowerBound,
                    FilterListParser.isSpace(buffer[hash - 1])
                {
                    content = parser.trim(line.lowerBound..<hash)
                }
                let fields = buffer[content].split(whereSeparator: FilterListParser.isSpace)
                if fields.count >= 2, let address = fields.first {
                    let range = address.startIndex..<address.endIndex
                    if parser.isAddress(range) {
                        hosts += 1
                        continue
                    }
                }
                if fields.count == 1, first != 0x7C, content.contains(where: { buffer[$0] == 0x2E }),
                    parser.isHostName(parser.stripDomainDecorations(content)), buffer[content.upperBound - 1] != 0x5E
                {
                    domains += 1
                    continue
                }
                adblock += 1
            }
            if hosts > adblock, hosts >= domains { return .hosts }
            if domains > adblock { return .domains }
            return .adblock
        }
    }
}
