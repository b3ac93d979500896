/// Byte-level helpers shared by the filter parser and the matcher: character classes, ASCII
/// lower-casing, the host inside a URL, and the two hashes the engine indexes by.
///
/// Everything works on UTF-8 bytes so that matching never builds a String.
enum FilterBytes {
    /// ASCII lower-casing; other bytes pass through (URLs are ASCII after percent-encoding).
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    /// Letters, digits and `%`: the bytes tokens are made of, as in uBlock Origin's tokenizer.
    @inline(__always)
    static func isTokenByte(_ byte: UInt8) -> Bool {
        let folded = byte | 0x20
        return (folded &- 0x61 < 26) || (byte &- 0x30 < 10) || byte == 0x25
    }

    /// What `^` matches: anything but a letter, a digit or one of `_ - . %`. Bytes of multi-byte
    /// UTF-8 sequences count as letters, as Adblock Plus treats non-ASCII letters.
    @inline(__always)
    static func isSeparator(_ byte: UInt8) -> Bool {
        !(isTokenByte(byte) || byte == 0x5F || byte == 0x2D || byte == 0x2E || byte >= 0x80)
    }

    /// Bytes a host name in a rule may hold (either case): letters, digits, `-`, `_`, `.`.
    @inline(__always)
    static func isHostByte(_ byte: UInt8) -> Bool {
        let folded = byte | 0x20
        return (folded &- 0x61 < 26) || (byte &- 0x30 < 10) || byte == 0x2D || byte == 0x5F || byte == 0x2E
    }

    /// The host inside `url`: after `scheme://` and any `user@`, up to the port, path, query or
    /// fragment. A URL without `://` is read as starting with its host (`example.com/x`).
    /// IPv6 literals keep their brackets.
    static func hostRange(in url: UnsafeBufferPointer<UInt8>) -> Range<Int> {
        var index = 0
        while index < url.count, url[index] != 0x3A, url[index] != 0x2F { index += 1 }
        var start = 0
        if index + 2 < url.count, url[index] == 0x3A, url[index + 1] == 0x2F, url[index + 2] == 0x2F {
            start = index + 3
        }
        var end = start
        var hostStart = start
        var hostEnd = -1
        var inBrackets = false
        while end < url.count {
            let byte = url[end]
            if byte == 0x2F || byte == 0x3F || byte == 0x23 { break }  // / ? #
            switch byte {
            case 0x40: (hostStart, hostEnd) = (end + 1, -1)  // user:password@host
            case 0x5B: inBrackets = true
            case 0x5D: inBrackets = false
            case 0x3A where !inBrackets && hostEnd < 0: hostEnd = end  // :port, not the colons of [::1]
            default: break
            }
            end += 1
        }
        var upper = hostEnd < 0 ? end : hostEnd
        // `example.com.` is `example.com`, as DNS and the Public Suffix List code read it.
        if upper > hostStart + 1, url[upper - 1] == 0x2E { upper -= 1 }
        return hostStart..<upper
    }

    // FNV-1a, 64-bit.
    static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    static let prime: UInt64 = 0x0000_0100_0000_01B3

    @inline(__always)
    static func hashStep(_ hash: UInt64, _ byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* prime
    }

    /// The token hash: FNV-1a over the lower-cased bytes, left to right.
    @inline(__always)
    static func tokenHash(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var hash = offsetBasis
        for index in range { hash = hashStep(hash, lower(bytes[index])) }
        return hash
    }

    /// The host hash: FNV-1a over the lower-cased bytes right to left, so one pass over a host
    /// yields the hash of every label suffix (`c.com`, `b.c.com`, …) on the way.
    @inline(__always)
    static func hostHash(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
        var hash = offsetBasis
        var index = range.upperBound
        while index > range.lowerBound {
            index -= 1
            hash = hashStep(hash, lower(bytes[index]))
        }
        return hash
    }

    /// Calls `body` with the hash and start of every label suffix of `host`, longest last:
    /// `com`, `c.com`, `b.c.com`. Stops early when `body` returns false.
    @inline(__always)
    static func forEachSuffix(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (UInt64, Int) -> Bool
    ) {
        var hash = offsetBasis
        var index = range.upperBound
        while index > range.lowerBound {
            index -= 1
            let byte = bytes[index]
            if byte == 0x2E {
                if !body(hash, index + 1) { return }
            }
            hash = hashStep(hash, lower(byte))
        }
        _ = body(hash, range.lowerBound)
    }
}
