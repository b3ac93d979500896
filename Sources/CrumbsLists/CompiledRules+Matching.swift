extension CompiledRules {
    /// The first rule of `kind` that matches, or nil.
    @inline(__always)
    func firstMatch(_ kind: RuleKind, _ context: MatchContext, importantOnly: Bool = false) -> Int32? {
        var found: Int32? = nil
        scan(kind, context, importantOnly: importantOnly) { rule in
            found = rule
            return true
        }
        return found
    }

    /// Calls `onMatch` with every matching rule of `kind` until it returns true: first the rules
    /// filed under the request's host suffixes, then under its tokens, then the fallback rules.
    func scan(_ kind: RuleKind, _ context: MatchContext, importantOnly: Bool, _ onMatch: (Int32) -> Bool) {
        rules.withUnsafeBufferPointer { rules in
            texts.withUnsafeBufferPointer { patterns in
                func applies(_ rule: Rule) -> Bool {
                    if !rule.types.contains(context.type) { return false }
                    if importantOnly, !rule.flags.contains(.important) { return false }
                    if rule.flags.contains(.thirdParty), !context.thirdParty { return false }
                    if rule.flags.contains(.firstParty), context.thirdParty { return false }
                    return true
                }
                for (position, heads) in context.hostHits.enumerated() {
                    var index = heads[kind]
                    while index >= 0 {
                        let rule = rules[Int(index)]
                        if applies(rule),
                            matchesAtHost(rule, patterns, context, suffixStart: context.hostHitStarts[position]),
                            constraintAllows(rule, context), onMatch(index)
                        {
                            return
                        }
                        index = rule.next
                    }
                }
                // Page-host constraints go before the pattern: they are cheaper, above all than a regex.
                for heads in context.tokenHits {
                    var index = heads[kind]
                    while index >= 0 {
                        let rule = rules[Int(index)]
                        if applies(rule), constraintAllows(rule, context),
                            matchesPattern(rule, index, patterns, context), onMatch(index)
                        {
                            return
                        }
                        index = rule.next
                    }
                }
                for index in fallback[kind] {
                    let rule = rules[Int(index)]
                    if applies(rule), constraintAllows(rule, context),
                        matchesPattern(rule, index, patterns, context), onMatch(index)
                    {
                        return
                    }
                }
            }
        }
    }

    /// A rule filed under a host, reached through the suffix of the request host at
    /// `suffixStart`: the suffix must be exactly the rule's host, then the rest of the pattern
    /// must match right after the URL's host.
    @inline(__always)
    func matchesAtHost(
        _ rule: Rule, _ patterns: UnsafeBufferPointer<UInt8>, _ context: MatchContext, suffixStart: Int
    ) -> Bool {
        let hostLength = Int(rule.hostLength)
        guard context.host.upperBound - suffixStart == hostLength else { return false }
        let start = Int(rule.patternStart)
        for offset in 0..<hostLength
        where FilterBytes.lower(patterns[start + offset]) != context.lower[suffixStart + offset] {
            return false
        }
        if rule.flags.contains(.pureHost) { return true }
        let rest = UnsafeBufferPointer(rebasing: patterns[(start + hostLength)..<(start + Int(rule.patternLength))])
        let matchCase = rule.flags.contains(.matchCase)
        return PatternMatcher.matchAt(
            rest, matchCase ? context.url : context.lower, context.host.upperBound,
            anchoredEnd: rule.flags.contains(.endAnchor), foldCase: !matchCase) == .match
    }

    /// Any other rule: regex, `||` at each label of the host, `|` at the start, or anywhere.
    @inline(__always)
    func matchesPattern(
        _ rule: Rule, _ index: Int32, _ patterns: UnsafeBufferPointer<UInt8>, _ context: MatchContext
    ) -> Bool {
        let start = Int(rule.patternStart)
        let pattern = UnsafeBufferPointer(rebasing: patterns[start..<(start + Int(rule.patternLength))])
        let flags = rule.flags
        if flags.contains(.regex) {
            return regexes.matches(
                rule: index, source: pattern, matchCase: flags.contains(.matchCase), url: context.urlString)
        }
        let foldCase = !flags.contains(.matchCase)
        let url = foldCase ? context.lower : context.url
        let anchoredEnd = flags.contains(.endAnchor)
        if flags.contains(.hostAnchor) {
            var label = context.host.lowerBound
            while label < context.host.upperBound {
                if PatternMatcher.matchAt(pattern, url, label, anchoredEnd: anchoredEnd, foldCase: foldCase) == .match {
                    return true
                }
                while label < context.host.upperBound, context.lower[label] != 0x2E { label += 1 }
                label += 1
            }
            return false
        }
        if flags.contains(.startAnchor) {
            return PatternMatcher.matchAt(pattern, url, 0, anchoredEnd: anchoredEnd, foldCase: foldCase) == .match
        }
        return PatternMatcher.matchAnywhere(pattern, url, from: 0, anchoredEnd: anchoredEnd, foldCase: foldCase)
    }

    /// `domain=`: some suffix of the page host (or its entity) included, when any is listed,
    /// and none excluded; `denyallow=`: no suffix of the request host listed.
    @inline(__always)
    func constraintAllows(_ rule: Rule, _ context: MatchContext) -> Bool {
        guard rule.constraint >= 0 else { return true }
        let constraint = constraints[Int(rule.constraint)]
        return domainHashes.withUnsafeBufferPointer { hashes in
            var start = Int(constraint.start)
            func run(_ count: UInt16) -> UnsafeBufferPointer<UInt64> {
                defer { start += Int(count) }
                return UnsafeBufferPointer(rebasing: hashes[start..<(start + Int(count))])
            }
            let included = run(constraint.included)
            let excluded = run(constraint.excluded)
            let denied = run(constraint.denied)
            let includedEntities = run(constraint.includedEntities)
            let excludedEntities = run(constraint.excludedEntities)
            let entity = context.sourceEntity
            if !(included.isEmpty && includedEntities.isEmpty) {
                let byHost = context.sourceHashes.contains { Self.sortedContains(included, $0) }
                let byEntity = entity.map { Self.sortedContains(includedEntities, $0) } ?? false
                if !(byHost || byEntity) { return false }
            }
            if context.sourceHashes.contains(where: { Self.sortedContains(excluded, $0) }) { return false }
            if let entity, Self.sortedContains(excludedEntities, entity) { return false }
            if context.hostHashes.contains(where: { Self.sortedContains(denied, $0) }) { return false }
            return true
        }
    }

    @inline(__always)
    static func sortedContains(_ sorted: UnsafeBufferPointer<UInt64>, _ value: UInt64) -> Bool {
        var low = 0
        var high = sorted.count
        while low < high {
            let middle = (low + high) / 2
            if sorted[middle] < value { low = middle + 1 } else { high = middle }
        }
        return low < sorted.count && sorted[low] == value
    }
}
