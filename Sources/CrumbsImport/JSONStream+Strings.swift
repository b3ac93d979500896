extension JSONStream {
    /// A string (the next token must be `"`), unescaped. Invalid UTF-8 is repaired, not fatal.
    func readString() throws -> String {
        try consumeQuote()
        var buffered = false
        while true {
            let (start, stop) = try scanStringRun()
            if stop < bufferEnd, bufferByte(stop) == UInt8(ascii: "\""), !buffered {
                // The common case: no escape, all in this chunk, decoded where it lies.
                let string = String(
                    decoding: UnsafeBufferPointer(start: bufferAddress(start), count: stop - start), as: UTF8.self)
                advance(to: stop + 1)
                return string
            }
            if !buffered {
                scratchBuffer.removeAll(keepingCapacity: true)
                buffered = true
            }
            scratchBuffer.append(contentsOf: UnsafeBufferPointer(start: bufferAddress(start), count: stop - start))
            advance(to: stop)
            guard let byte = try peekByte() else { throw error("unterminated string") }
            if byte == UInt8(ascii: "\"") {
                advance(by: 1)
                return String(decoding: scratchBuffer, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                advance(by: 1)
                try appendEscape()
            }
        }
    }

    /// Skips a string without decoding it (a response body of megabytes costs a scan, no copy).
    func skipString() throws {
        try consumeQuote()
        while true {
            let (_, stop) = try scanStringRun()
            advance(to: stop)
            guard let byte = try peekByte() else { throw error("unterminated string") }
            // The run may have stopped at the end of a chunk, not at a quote or a backslash.
            guard byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            advance(by: 1)
            if byte == UInt8(ascii: "\"") { return }
            // A backslash: whatever follows it is part of the string, even a quote.
            guard try peekByte() != nil else { throw error("unterminated string") }
            advance(by: 1)
        }
    }

    /// Appends the character an escape (after its backslash) stands for.
    private func appendEscape() throws {
        guard let byte = try peekByte() else { throw error("unterminated string") }
        advance(by: 1)
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratchBuffer.append(byte)
        case UInt8(ascii: "b"): scratchBuffer.append(0x08)
        case UInt8(ascii: "f"): scratchBuffer.append(0x0C)
        case UInt8(ascii: "n"): scratchBuffer.append(0x0A)
        case UInt8(ascii: "r"): scratchBuffer.append(0x0D)
        case UInt8(ascii: "t"): scratchBuffer.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHex4()
            // A surrogate pair is two escapes; a lone surrogate becomes U+FFFD.
            if (0xD800..<0xDC00).contains(scalar), try peekByte() == UInt8(ascii: "\\") {
                advance(by: 1)
                guard try peekByte() == UInt8(ascii: "u") else { throw error("invalid escape after a surrogate") }
                advance(by: 1)
                let low = try readHex4()
                scalar =
                    (0xDC00..<0xE000).contains(low) ? 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) : 0xFFFD
            }
            let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            scratchBuffer.append(contentsOf: String(character).utf8)
        default:
            throw error("invalid escape '\\\(Character(Unicode.Scalar(byte)))'")
        }
    }

    private func readHex4() throws -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let byte = try peekByte() else { throw error("unterminated string") }
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | UInt32(digit)
            advance(by: 1)
        }
        return value
    }

    private func consumeQuote() throws {
        guard try peekToken() == UInt8(ascii: "\"") else { throw error("expected a string") }
        advance(by: 1)
    }
}
