/// Tokens: runs of letters, digits and `%`. A rule is filed under one token that every URL it
/// matches must contain as a whole token, so a request only looks at the rules filed under its
/// own tokens. This is the indexing that uBlock Origin and adblock-rust use.
enum FilterTokens {
    /// Tokens nearly every URL holds: a rule filed under one of them would be tried for almost
    /// every request, so any other token of the rule is preferred.
    static let common: Set<UInt64> = Set(
        """
        http https www com net org html htm php js css jpg jpeg png gif svg webp json static cdn
        img images assets api min v1 v2 wp content de uk io co ru fr js2 index
        """.split(whereSeparator: \.isWhitespace).map { word in
            Array(word.utf8).withUnsafeBufferPointer { FilterBytes.tokenHash($0, 0..<$0.count) }
        })

    /// Calls `body` with each whole token of a plain pattern: a run of token bytes at least two
    /// long whose neighbours in the pattern are not `*` and which is not cut by an open end
    /// (an unanchored start or end could continue the run in the URL).
    static func forEachPatternToken(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, anchoredStart: Bool, anchoredEnd: Bool,
        _ body: (UInt64, Int) -> Void
    ) {
        var index = range.lowerBound
        while index < range.upperBound {
            guard FilterBytes.isTokenByte(bytes[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < range.upperBound, FilterBytes.isTokenByte(bytes[index]) { index += 1 }
            let leftWhole = start > range.lowerBound ? bytes[start - 1] != 0x2A : anchoredStart
            let rightWhole = index < range.upperBound ? bytes[index] != 0x2A : anchoredEnd
            if leftWhole, rightWhole, index - start >= 2 {
                body(FilterBytes.tokenHash(bytes, start..<index), index - start)
            }
        }
    }

    /// Calls `body` with whole tokens a `/regex/` source requires: tokens inside runs of
    /// top-level literal characters, cut off on both sides by a literal non-token character.
    /// Groups, classes, escapes such as `\d`, and quantified characters end a run; a top-level
    /// `|` means nothing is required, so no token at all.
    static func forEachRegexToken(
        _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ body: (UInt64, Int) -> Void
    ) {
        var runs: [[UInt8]] = [[]]
        var index = range.lowerBound
        func endRun() { if !(runs.last!.isEmpty) { runs.append([]) } }
        while index < range.upperBound {
            let byte = bytes[index]
            switch byte {
            case 0x5C:  // \
                guard index + 1 < range.upperBound else { return }
                let next = bytes[index + 1]
                if FilterBytes.isTokenByte(next) { endRun() } else { runs[runs.count - 1].append(next) }
                index += 2
                continue
            case 0x5B, 0x28:  // [ (
                endRun()
                index = skipGroup(bytes, from: index, end: range.upperBound)
                continue
            case 0x7C:  // |
                return
            case 0x2A, 0x2B, 0x3F, 0x7B:  // * + ? {
                if !runs[runs.count - 1].isEmpty { runs[runs.count - 1].removeLast() }
                endRun()
                if byte == 0x7B {
                    while index < range.upperBound, bytes[index] != 0x7D { index += 1 }
                }
            case 0x2E, 0x5E, 0x24:  // . ^ $
                endRun()
            default:
                runs[runs.count - 1].append(byte)
            }
            index += 1
        }
        for run in runs where run.count >= 4 {
            run.withUnsafeBufferPointer { literal in
                var start = 0
                while start < literal.count {
                    guard FilterBytes.isTokenByte(literal[start]) else {
                        start += 1
                        continue
                    }
                    var end = start
                    while end < literal.count, FilterBytes.isTokenByte(literal[end]) { end += 1 }
                    if start > 0, end < literal.count, end - start >= 2 {
                        body(FilterBytes.tokenHash(literal, start..<end), end - start)
                    }
                    start = end
                }
            }
        }
    }

    /// The index just past the group or class opening at `start`, minding escapes and nesting.
    static func skipGroup(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int {
        var depth = 0
        var inClass = false
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == 0x5C {
                index += 2
                continue
            }
            if inClass {
                if byte == 0x5D { inClass = false }
            } else if byte == 0x5B {
                inClass = true
                // `[]…]` and `[^]…]`: a leading `]` is a literal.
                if index + 1 < end, bytes[index + 1] == 0x5E { index += 1 }
                if index + 1 < end, bytes[index + 1] == 0x5D { index += 1 }
            } else if byte == 0x28 {
                depth += 1
            } else if byte == 0x29 {
                depth -= 1
            }
            index += 1
            if depth == 0 && !inClass { break }
        }
        // A quantifier after the group makes it optional, which ends the run anyway.
        return index
    }

    /// Writes the hashes of the URL's tokens (two bytes or more, duplicates dropped) into
    /// `output`, which holds at least `url.count / 2 + 1` entries; returns how many.
    static func tokenize(_ url: UnsafeBufferPointer<UInt8>, into output: UnsafeMutableBufferPointer<UInt64>) -> Int {
        var count = 0
        var index = 0
        while index < url.count {
            guard FilterBytes.isTokenByte(url[index]) else {
                index += 1
                continue
            }
            let start = index
            var hash = FilterBytes.offsetBasis
            while index < url.count, FilterBytes.isTokenByte(url[index]) {
                hash = FilterBytes.hashStep(hash, url[index])
                index += 1
            }
            guard index - start >= 2 else { continue }
            // Repeats are common (`com` in the host and a redirect parameter); checking the
            // last few keeps this linear.
            var seen = false
            var back = count
            while back > 0, back > count - 8 {
                back -= 1
                if output[back] == hash {
                    seen = true
                    break
                }
            }
            if !seen {
                output[count] = hash
                count += 1
            }
        }
        return count
    }
}
