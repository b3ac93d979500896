/// Turns the bytes of one list into `NetworkRule`s, line by line, skipping and counting what it
/// does not use. Works on bytes only: a 2 MB list makes no String per line.
struct FilterListParser {
    /// A skipped line, kept as ranges until someone asks for its text.
    struct SkipRecord: Sendable {
        var line: Int32
        var textStart: Int32
        var textLength: Int32
        var reason: UInt16
    }

    let bytes: UnsafeBufferPointer<UInt8>
    var rules: [NetworkRule] = []
    var constraints: [DomainConstraint] = []
    var domainHashes: [UInt64] = []
    /// Texts a `badfilter` rule cancels: the rule as written, less its `badfilter` option.
    var badfilterKeys: [[UInt8]] = []
    var skips: [SkipRecord] = []
    var reasons: [SkipReason] = []
    var reasonIndex: [SkipReason: UInt16] = [:]
    var counts = FilterList.Counts()

    init(bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Parses every line in `format`.
    mutating func parse(format: FilterList.Format) {
        var lineNumber: Int32 = 0
        var start = 0
        while start < bytes.count {
            var end = start
            while end < bytes.count, bytes[end] != 0x0A { end += 1 }
            lineNumber += 1
            let trimmed = trim(start..<end)
            if !trimmed.isEmpty {
                switch format {
                case .adblock: parseAdblockLine(lineNumber, trimmed)
                case .hosts: parseHostsLine(lineNumber, trimmed, allowIP: true)
                case .domains: parseHostsLine(lineNumber, trimmed, allowIP: false)
                }
            }
            start = end + 1
        }
        counts.lines = Int(lineNumber)
    }

    /// The range without surrounding spaces, tabs, CR and a byte-order mark.
    func trim(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        if upper - lower >= 3, bytes[lower] == 0xEF, bytes[lower + 1] == 0xBB, bytes[lower + 2] == 0xBF {
            lower += 3
        }
        while lower < upper, Self.isSpace(bytes[lower]) { lower += 1 }
        while upper > lower, Self.isSpace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    mutating func skip(_ line: Int32, _ range: Range<Int>, _ reason: SkipReason) {
        let index: UInt16
        if let known = reasonIndex[reason] {
            index = known
        } else {
            index = UInt16(reasons.count)
            reasons.append(reason)
            reasonIndex[reason] = index
        }
        skips.append(
            SkipRecord(
                line: line, textStart: Int32(range.lowerBound),
                textLength: Int32(range.count), reason: index))
        counts.skipped += 1
    }

    // MARK: Adblock Plus lines

    /// Unanchored patterns without `domain=` must be at least this long (see `SkipReason.tooGeneric`).
    static let shortestGenericPattern: Int32 = 3

    mutating func parseAdblockLine(_ line: Int32, _ range: Range<Int>) {
        let first = bytes[range.lowerBound]
        if first == 0x21 { return skip(line, range, .comment) }  // !
        if first == 0x5B, bytes[range.upperBound - 1] == 0x5D { return skip(line, range, .header) }  // [...]
        if isCosmetic(range) { return skip(line, range, .cosmetic) }
        if first == 0x23 { return skip(line, range, .comment) }  // "# …" as some lists write comments
        // A hosts-file line inside an Adblock Plus list (`0.0.0.0 example.com`), as uBlock reads it.
        if (first &- 0x30 < 10 || first == 0x3A), let space = firstIndex(of: 0x20, in: range),
            isAddress(range.lowerBound..<space)
        {
            return parseHostsLine(line, range, allowIP: true)
        }

        var flags: RuleFlags = []
        var start = range.lowerBound
        if range.count >= 2, first == 0x40, bytes[start + 1] == 0x40 {  // @@
            flags.insert(.exception)
            start += 2
        }
        // Options follow the last `$`, unless that `$` sits inside a `/regex/` without options.
        var patternEnd = range.upperBound
        var options: Range<Int>? = nil
        if let dollar = lastIndex(of: 0x24, in: start..<range.upperBound) {
            let isBareRegex =
                range.upperBound - start > 2 && bytes[start] == 0x2F && bytes[range.upperBound - 1] == 0x2F
            if !isBareRegex {
                patternEnd = dollar
                options = (dollar + 1)..<range.upperBound
            }
        }
        var rule = NetworkRule(
            line: line, textStart: Int32(range.lowerBound), textLength: Int32(range.count),
            patternStart: 0, patternLength: 0, constraint: -1,
            types: .defaultTypes, flags: flags, hostLength: 0)
        var badfilter = false
        if let options, !options.isEmpty {
            switch parseOptions(options, into: &rule) {
            case .rule: break
            case .badfilter: badfilter = true
            case .skip(let reason): return skip(line, range, reason)
            }
        }
        guard parsePattern(start..<patternEnd, into: &rule) else { return skip(line, range, .invalidPattern) }
        // `@@`, `*` or `||*` alone would allow or block every request: almost surely a typo, and
        // too drastic to take from a list without an option narrowing it.
        if rule.patternLength == 0, options?.isEmpty ?? true { return skip(line, range, .invalidPattern) }
        if rule.patternLength < Self.shortestGenericPattern, rule.patternLength > 0, rule.constraint < 0,
            rule.flags.isDisjoint(with: [.regex, .hostAnchor, .startAnchor])
        {
            return skip(line, range, .tooGeneric)
        }
        if badfilter {
            badfilterKeys.append(textWithoutBadfilter(range, options: options!))
            counts.badfilter += 1
            return
        }
        add(rule)
    }

    /// Cosmetic filters: `##`, `#@#`, `#?#`, `#$#`, `#%#`, `#@?#`, `#@$#`, `#$?#`, `#@$?#`,
    /// `##+js(…)`, and AdGuard's HTML filters `$$` / `$@$` after a host list.
    func isCosmetic(_ range: Range<Int>) -> Bool {
        var index = range.lowerBound
        let end = range.upperBound
        while index < end {
            let byte = bytes[index]
            if byte == 0x23 {  // #
                var next = index + 1
                if next < end, bytes[next] == 0x40 { next += 1 }  // @
                if next < end, bytes[next] == 0x24 || bytes[next] == 0x3F || bytes[next] == 0x25 { next += 1 }  // $ ? %
                if next < end, bytes[next] == 0x3F { next += 1 }  // $?
                if next < end, bytes[next] == 0x23 { return true }
            } else if byte == 0x24, index > range.lowerBound {  // $$ or $@$ after hosts only
                let rest = index + 1
                let html =
                    (rest < end && bytes[rest] == 0x24)
                    || (rest + 1 < end && bytes[rest] == 0x40 && bytes[rest + 1] == 0x24)
                if html {
                    return bytes[range.lowerBound..<index].allSatisfy {
                        FilterBytes.isHostByte($0) || $0 == 0x2C || $0 == 0x7E || $0 == 0x2A
                    }
                }
            } else if byte == 0x2F && index == range.lowerBound {
                // A regex network rule may hold `#`; cosmetic rules never start with `/`.
                return false
            }
            index += 1
        }
        return false
    }

    func lastIndex(of byte: UInt8, in range: Range<Int>) -> Int? {
        var index = range.upperBound
        while index > range.lowerBound {
            index -= 1
            if bytes[index] == byte { return index }
        }
        return nil
    }

    /// Reads anchors and wildcards into `rule`; false when nothing matchable is left.
    func parsePattern(_ range: Range<Int>, into rule: inout NetworkRule) -> Bool {
        var lower = range.lowerBound
        var upper = range.upperBound
        if upper - lower > 2, bytes[lower] == 0x2F, bytes[upper - 1] == 0x2F {
            rule.flags.insert(.regex)
            rule.patternStart = Int32(lower + 1)
            rule.patternLength = Int32(upper - lower - 2)
            return true
        }
        if upper - lower >= 2, bytes[lower] == 0x7C, bytes[lower + 1] == 0x7C {  // ||
            rule.flags.insert(.hostAnchor)
            lower += 2
        } else if upper > lower, bytes[lower] == 0x7C {  // |
            rule.flags.insert(.startAnchor)
            lower += 1
        }
        if upper > lower, bytes[upper - 1] == 0x7C {
            rule.flags.insert(.endAnchor)
            upper -= 1
        }
        // Surrounding wildcards only undo anchors: `|*x` and `*x` match the same URLs.
        while lower < upper, bytes[lower] == 0x2A {
            rule.flags.subtract([.hostAnchor, .startAnchor])
            lower += 1
        }
        while upper > lower, bytes[upper - 1] == 0x2A {
            rule.flags.remove(.endAnchor)
            upper -= 1
        }
        // Spaces never occur in URLs; a `|` in the middle is a literal, as in Adblock Plus.
        for index in lower..<upper where bytes[index] <= 0x20 { return false }
        // A lone `|` or `||` anchors nothing; a lone `*` (or nothing, with options) matches all.
        if lower == upper, !rule.flags.isDisjoint(with: [.hostAnchor, .startAnchor, .endAnchor]) { return false }
        rule.patternStart = Int32(lower)
        rule.patternLength = Int32(upper - lower)
        if rule.flags.contains(.hostAnchor) {
            // A whole host: host bytes up to `^`, `/` or `:`, not starting or ending with a dot.
            var end = lower
            while end < upper, FilterBytes.isHostByte(bytes[end]) { end += 1 }
            let length = end - lower
            if length > 0, length <= 253, end < upper, bytes[lower] != 0x2E, bytes[end - 1] != 0x2E,
                bytes[end] == 0x5E || bytes[end] == 0x2F || bytes[end] == 0x3A
            {
                rule.hostLength = UInt16(length)
                if end + 1 == upper, bytes[end] == 0x5E, !rule.flags.contains(.endAnchor) {
                    rule.flags.insert(.pureHost)
                }
            }
        }
        return true
    }

    mutating func add(_ rule: NetworkRule) {
        rules.append(rule)
        if rule.flags.contains(.exception) { counts.exceptionRules += 1 } else { counts.blockRules += 1 }
        if rule.flags.contains(.hostAnchor) { counts.hostAnchored += 1 }
        if rule.flags.contains(.pureHost) { counts.pureHost += 1 }
        if rule.flags.contains(.regex) { counts.regex += 1 }
        if rule.flags.contains(.important) { counts.important += 1 }
        if rule.flags.contains(.redirect) { counts.redirect += 1 }
        if rule.flags.contains(.hostsEntry) { counts.hostsEntries += 1 }
    }
}
