/// Builds the engine's arrays and indexes from parsed lists; `CompiledRules` then freezes them.
struct RuleCompiler {
    typealias Rule = CompiledRules.Rule

    var statistics = FilterEngine.Statistics()
    var rules: [Rule] = []
    var texts: [UInt8] = []
    var constraints: [DomainConstraint] = []
    var domainHashes: [UInt64] = []
    var hosts = RuleIndex()
    var tokens = RuleIndex()
    var fallback = FallbackRules()

    /// Copies the rules of every list into the engine's flat arrays and files each one.
    mutating func build(_ lists: [FilterList]) {
        let cancelled = Self.badfilterKeys(lists)
        rules.reserveCapacity(lists.reduce(0) { $0 + $1.rules.count })
        texts.reserveCapacity(lists.reduce(0) { $0 + $1.rules.reduce(0) { $0 + Int($1.textLength) } })
        for (listIndex, list) in lists.enumerated() {
            list.bytes.withUnsafeBufferPointer { bytes in
                for rule in list.rules {
                    if !cancelled.isEmpty, Self.isCancelled(rule, bytes, by: cancelled) {
                        statistics.cancelledByBadfilter += 1
                        continue
                    }
                    add(rule, list: UInt16(listIndex), from: list, bytes)
                }
            }
        }
        statistics.rules = rules.count
        statistics.largestTokenBucket = tokens.largestBucket
        layOutByBucket()
    }

    /// Renumbers the rules so that each chain's rules (and their texts) sit next to each other:
    /// a request walks a few chains, and adjacent rules share cache lines instead of costing a
    /// miss each.
    private mutating func layOutByBucket() {
        var order: [Int32] = []
        order.reserveCapacity(rules.count)
        let collect = { (heads: RuleHeads) in
            for kind in [RuleKind.important, .block, .exception] {
                var index = heads[kind]
                while index >= 0 {
                    order.append(index)
                    index = self.rules[Int(index)].next
                }
            }
        }
        hosts.forEachHeads(collect)
        tokens.forEachHeads(collect)
        for kind in [RuleKind.important, .block, .exception] { order += fallback[kind] }
        var map = [Int32](repeating: -1, count: rules.count)
        for (new, old) in order.enumerated() { map[Int(old)] = Int32(new) }
        var laidOut: [Rule] = []
        laidOut.reserveCapacity(rules.count)
        var newTexts: [UInt8] = []
        newTexts.reserveCapacity(texts.count)
        for old in order {
            var rule = rules[Int(old)]
            let textStart = Int32(newTexts.count)
            newTexts.append(contentsOf: texts[Int(rule.textStart)..<Int(rule.textStart + rule.textLength)])
            rule.patternStart = textStart + (rule.patternStart - rule.textStart)
            rule.textStart = textStart
            if rule.next >= 0 { rule.next = map[Int(rule.next)] }
            laidOut.append(rule)
        }
        rules = laidOut
        texts = newTexts
        hosts.renumber(map)
        tokens.renumber(map)
        for kind in [RuleKind.important, .block, .exception] { fallback[kind] = fallback[kind].map { map[Int($0)] } }
    }

    private mutating func add(
        _ parsed: NetworkRule, list: UInt16, from source: FilterList, _ bytes: UnsafeBufferPointer<UInt8>
    ) {
        let index = Int32(rules.count)
        let patternRange = Int(parsed.patternStart)..<Int(parsed.patternStart + parsed.patternLength)
        // Texts are copied as written; the pattern is a part of the text.
        let textStart = Int32(texts.count)
        texts.append(contentsOf: bytes[Int(parsed.textStart)..<Int(parsed.textStart + parsed.textLength)])
        let patternStart = textStart + (parsed.patternStart - parsed.textStart)
        var constraint: Int32 = -1
        if parsed.constraint >= 0 {
            var copied = source.constraints[Int(parsed.constraint)]
            let start = Int(copied.start)
            let count = copied.count
            copied.start = Int32(domainHashes.count)
            domainHashes.append(contentsOf: source.domainHashes[start..<(start + count)])
            constraint = Int32(constraints.count)
            constraints.append(copied)
        }
        var rule = Rule(
            patternStart: patternStart, patternLength: parsed.patternLength, textStart: textStart,
            textLength: parsed.textLength, line: parsed.line, constraint: constraint, next: -1,
            types: parsed.types, flags: parsed.flags, hostLength: parsed.hostLength, list: list)

        // File it: under its host, else under its least crowded whole token, else in fallback.
        let kind: RuleKind =
            parsed.flags.contains(.exception) ? .exception : parsed.flags.contains(.important) ? .important : .block
        if parsed.hostLength > 0 {
            let host = patternRange.lowerBound..<(patternRange.lowerBound + Int(parsed.hostLength))
            statistics.hostRules += 1
            rule.next = hosts.push(FilterBytes.hostHash(bytes, host), rule: index, kind: kind)
        } else if let token = bestToken(parsed, patternRange, bytes) {
            statistics.tokenRules += 1
            rule.next = tokens.push(token, rule: index, kind: kind)
        } else {
            statistics.fallbackRules += 1
            fallback[kind].append(index)
        }
        rules.append(rule)
    }

    /// The whole token of the pattern (or regex) with the fewest rules filed under it so far;
    /// tokens almost every URL holds count as crowded.
    private func bestToken(_ parsed: NetworkRule, _ range: Range<Int>, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var best: (hash: UInt64, score: Int, length: Int)? = nil
        func consider(_ hash: UInt64, _ length: Int) {
            let score = tokens.size(hash) + (FilterTokens.common.contains(hash) ? 1_000_000 : 0)
            if best == nil || score < best!.score || (score == best!.score && length > best!.length) {
                best = (hash, score, length)
            }
        }
        if parsed.flags.contains(.regex) {
            FilterTokens.forEachRegexToken(bytes, range, consider)
        } else {
            FilterTokens.forEachPatternToken(
                bytes, range, anchoredStart: !parsed.flags.isDisjoint(with: [.hostAnchor, .startAnchor]),
                anchoredEnd: parsed.flags.contains(.endAnchor), consider)
        }
        return best?.hash
    }

    /// The texts `badfilter` rules cancel, by hash of the exact bytes.
    private static func badfilterKeys(_ lists: [FilterList]) -> [UInt64: [[UInt8]]] {
        var keys: [UInt64: [[UInt8]]] = [:]
        for list in lists {
            for key in list.badfilterKeys { keys[textHash(key), default: []].append(key) }
        }
        return keys
    }

    private static func textHash(_ bytes: some Sequence<UInt8>) -> UInt64 {
        bytes.reduce(FilterBytes.offsetBasis, FilterBytes.hashStep)
    }

    /// Whether a `badfilter` rule names this rule. A hosts entry stands for `||host^`.
    /// Hashes the text in place; only a hash hit builds bytes to compare.
    private static func isCancelled(
        _ rule: NetworkRule, _ bytes: UnsafeBufferPointer<UInt8>, by keys: [UInt64: [[UInt8]]]
    ) -> Bool {
        let range = Int(rule.patternStart)..<Int(rule.patternStart + rule.patternLength)
        let isHost = rule.flags.contains(.hostsEntry)
        var hash: UInt64
        if isHost {
            hash = textHash("||".utf8)
            for position in range { hash = FilterBytes.hashStep(hash, FilterBytes.lower(bytes[position])) }
            hash = FilterBytes.hashStep(hash, 0x5E)
        } else {
            hash = textHash(bytes[Int(rule.textStart)..<Int(rule.textStart + rule.textLength)])
        }
        guard let candidates = keys[hash] else { return false }
        let text: [UInt8] =
            isHost
            ? Array("||".utf8) + bytes[range].map(FilterBytes.lower) + [0x5E]
            : Array(bytes[Int(rule.textStart)..<Int(rule.textStart + rule.textLength)])
        return candidates.contains(text)
    }
}
