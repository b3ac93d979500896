extension FilterListParser {
    /// What the options of one rule made of it.
    enum OptionsOutcome {
        case rule
        /// A `badfilter` rule: it cancels another rule instead of matching.
        case badfilter
        case skip(SkipReason)
    }

    enum OptionKind {
        case type(TypeMask)
        case all, popup, thirdParty, firstParty, important, matchCase, badfilter
        case domain, denyallow, redirect, noop
        /// Known, but not implemented: the rule is skipped and counted under the option's name.
        case unsupported
    }

    /// Option names as lists spell them (uBlock Origin, Adblock Plus, AdGuard).
    static let optionKinds: [String: OptionKind] = {
        var kinds: [String: OptionKind] = [
            "all": .all, "popup": .popup,
            "third-party": .thirdParty, "3p": .thirdParty,
            "first-party": .firstParty, "1p": .firstParty,
            "important": .important, "match-case": .matchCase, "badfilter": .badfilter,
            "domain": .domain, "from": .domain, "denyallow": .denyallow, "redirect": .redirect,
        ]
        let types: [String: ResourceType] = [
            "script": .script, "image": .image, "stylesheet": .stylesheet, "css": .stylesheet,
            "xmlhttprequest": .xmlhttprequest, "xhr": .xmlhttprequest,
            "subdocument": .subdocument, "frame": .subdocument, "ping": .ping, "beacon": .ping,
            "media": .media, "font": .font, "websocket": .websocket, "other": .other,
            "document": .document, "doc": .document, "object": .object, "object-subrequest": .object,
        ]
        for (name, type) in types { kinds[name] = .type(type.bit) }
        // Options that rewrite, redirect only after another rule blocked, filter by header or
        // method, or concern page content: none of them is a plain block-or-allow verdict.
        let unsupported = """
            csp removeparam queryprune rewrite redirect-rule header to method strict1p strict3p
            strict-first-party strict-third-party permissions replace urlskip uritransform
            urltransform empty mp4 inline-script inline-font webrtc sitekey ipaddress reason cname
            popunder network app cookie hls jsonprune xmlprune elemhide ehide generichide ghide
            specifichide shide genericblock content jsinject urlblock extension stealth
            """
        for name in unsupported.split(whereSeparator: \.isWhitespace) { kinds[String(name)] = .unsupported }
        return kinds
    }()

    /// Reads the options after `$` into `rule`.
    mutating func parseOptions(_ range: Range<Int>, into rule: inout NetworkRule) -> OptionsOutcome {
        var positive: TypeMask = []
        var negative: TypeMask = []
        var popup = false
        var all = false
        var badfilter = false
        var included = DomainLists()
        var denied = DomainLists()
        var segmentStart = range.lowerBound
        while segmentStart < range.upperBound {
            var segmentEnd = segmentStart
            while segmentEnd < range.upperBound, bytes[segmentEnd] != 0x2C { segmentEnd += 1 }  // ,
            defer { segmentStart = segmentEnd + 1 }
            var nameStart = segmentStart
            let negated = nameStart < segmentEnd && bytes[nameStart] == 0x7E  // ~
            if negated { nameStart += 1 }
            var nameEnd = nameStart
            while nameEnd < segmentEnd, bytes[nameEnd] != 0x3D { nameEnd += 1 }  // =
            let value = nameEnd < segmentEnd ? (nameEnd + 1)..<segmentEnd : nil
            if nameStart == nameEnd { continue }  // `$script,,image`
            let name = String(decoding: bytes[nameStart..<nameEnd].lazy.map(FilterBytes.lower), as: UTF8.self)
            guard let kind = Self.optionKinds[name] else {
                if name.utf8.allSatisfy({ $0 == 0x5F }) { continue }  // uBlock's `_` no-op option
                return .skip(.unknownOption(negated ? "~" + name : name))
            }
            switch kind {
            case .type(let mask):
                if negated { negative.formUnion(mask) } else { positive.formUnion(mask) }
            case .popup:
                if !negated { popup = true }
            case .thirdParty:
                rule.flags.insert(negated ? .firstParty : .thirdParty)
            case .firstParty:
                rule.flags.insert(negated ? .thirdParty : .firstParty)
            case .unsupported:
                return .skip(.unsupportedOption(name))
            case _ where negated:
                return .skip(.unknownOption("~" + name))
            case .all: all = true
            case .important: rule.flags.insert(.important)
            case .matchCase: rule.flags.insert(.matchCase)
            case .badfilter: badfilter = true
            case .noop: break
            case .redirect:
                // An exception with `redirect=` only cancels the redirect in uBlock Origin.
                if rule.flags.contains(.exception) { return .skip(.unsupportedOption(name)) }
                rule.flags.insert(.redirect)
            case .domain:
                guard let value, parseDomains(value, into: &included, allowNegation: true) else {
                    return .skip(.invalidDomain)
                }
            case .denyallow:
                guard let value, parseDomains(value, into: &denied, allowNegation: false), denied.entities.isEmpty
                else {
                    return .skip(.invalidDomain)
                }
            }
        }
        // `$1p,3p` asks for both parties: no party restriction at all.
        if rule.flags.isSuperset(of: [.firstParty, .thirdParty]) { rule.flags.subtract([.firstParty, .thirdParty]) }
        if popup, positive.isEmpty, !all { return .skip(.popupOnly) }
        var types: TypeMask = all ? .all : (positive.isEmpty ? .defaultTypes : positive)
        types.subtract(negative)
        if types.isEmpty { return .skip(.invalidPattern) }
        rule.types = types
        if !(included.isEmpty && denied.isEmpty) {
            // Sorted runs, so the matcher can binary-search rules with hundreds of domains.
            let runs = [
                included.hosts, included.excludedHosts, denied.hosts, included.entities, included.excludedEntities,
            ]
            // Counts are 16-bit: a longer list (none exists) is refused rather than cut short.
            if runs.contains(where: { $0.count > Int(UInt16.max) }) { return .skip(.invalidDomain) }
            rule.constraint = Int32(constraints.count)
            constraints.append(
                DomainConstraint(
                    start: Int32(domainHashes.count), included: UInt16(runs[0].count),
                    excluded: UInt16(runs[1].count), denied: UInt16(runs[2].count),
                    includedEntities: UInt16(runs[3].count), excludedEntities: UInt16(runs[4].count)
                ))
            for run in runs { domainHashes += run.sorted() }
        }
        return badfilter ? .badfilter : .rule
    }

    /// The hosts and entities of one `domain=` or `denyallow=` value, as host hashes.
    struct DomainLists {
        var hosts: [UInt64] = []
        var excludedHosts: [UInt64] = []
        var entities: [UInt64] = []
        var excludedEntities: [UInt64] = []

        var isEmpty: Bool { hosts.isEmpty && excludedHosts.isEmpty && entities.isEmpty && excludedEntities.isEmpty }
    }

    /// Hashes `a.com|~b.a.com|google.*` into `lists`; false on an empty list or a non-host byte.
    func parseDomains(_ range: Range<Int>, into lists: inout DomainLists, allowNegation: Bool) -> Bool {
        var start = range.lowerBound
        var any = false
        while start < range.upperBound {
            var end = start
            while end < range.upperBound, bytes[end] != 0x7C { end += 1 }  // |
            defer { start = end + 1 }
            var hostStart = start
            let negated = hostStart < end && bytes[hostStart] == 0x7E
            if negated {
                guard allowNegation else { return false }
                hostStart += 1
            }
            // `name.*` is an entity: the name is hashed like a host and compared with the
            // page site's name.
            var hostEnd = end
            let entity = hostEnd - hostStart > 2 && bytes[hostEnd - 1] == 0x2A && bytes[hostEnd - 2] == 0x2E
            if entity { hostEnd -= 2 }
            guard hostStart < hostEnd, bytes[hostStart..<hostEnd].allSatisfy(FilterBytes.isHostByte),
                bytes[hostStart] != 0x2E, bytes[hostEnd - 1] != 0x2E
            else { return false }
            let hash = FilterBytes.hostHash(bytes, hostStart..<hostEnd)
            switch (entity, negated) {
            case (false, false): lists.hosts.append(hash)
            case (false, true): lists.excludedHosts.append(hash)
            case (true, false): lists.entities.append(hash)
            case (true, true): lists.excludedEntities.append(hash)
            }
            any = true
        }
        return any
    }

    /// The rule a `badfilter` rule cancels: its text with the `badfilter` option taken out.
    func textWithoutBadfilter(_ text: Range<Int>, options: Range<Int>) -> [UInt8] {
        var kept: [ArraySlice<UInt8>] = []
        for option in Array(bytes[options]).split(separator: 0x2C, omittingEmptySubsequences: false) {
            if option.map(FilterBytes.lower) != Array("badfilter".utf8) { kept.append(option) }
        }
        var key = Array(bytes[text.lowerBound..<(options.lowerBound - 1)])
        if !kept.isEmpty {
            key.append(0x24)
            key += Array(kept.joined(separator: [0x2C]))
        }
        return key
    }
}
