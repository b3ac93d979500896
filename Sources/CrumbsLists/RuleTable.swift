/// The rules of a Public Suffix List, keyed by label suffix so that a lookup is one hash probe
/// per label of the host, computed in a single right-to-left pass with no allocation (see
/// `SuffixTable`).
struct RuleTable: Sendable {
    /// Which kinds of rule end at a node, and in which section each one was listed.
    struct Flags: OptionSet, Sendable {
        let rawValue: UInt8
        /// `co.uk`
        static let exact = Flags(rawValue: 1 << 0)
        /// `*.ck`, stored on `ck`
        static let wildcard = Flags(rawValue: 1 << 1)
        /// `!www.ck`, stored on `www.ck`
        static let exception = Flags(rawValue: 1 << 2)

        /// The same kind, marked as coming from the PRIVATE section.
        var privateSection: Flags { Flags(rawValue: rawValue << 4) }
    }

    /// What the walk found for one host.
    struct Walk: Sendable, Equatable {
        var labelCount: Int
        var suffixLabels: Int
        /// nil when only the implicit `*` rule applied.
        var section: PublicSuffixList.Section?
    }

    /// Rule flags by key; 0 on a suffix that is only on the way to a rule.
    private var table = SuffixTable<UInt8>(empty: 0)

    /// Adds a rule whose key is `key` (ACE, no `*.` or `!`). False when that rule was already there.
    mutating func insert(key: [UInt8], kind: Flags, isPrivate: Bool) -> Bool {
        let node = table.insert(key)
        if Flags(rawValue: table[node]).contains(kind) { return false }
        table[node] |= kind.rawValue | (isPrivate ? kind.privateSection.rawValue : 0)
        return true
    }

    /// Applies the PSL algorithm to an ACE host without a trailing dot. Checks the labels on the
    /// way (empty, too long, numeric last label) and returns nil for anything that is not a
    /// domain name: the checks cost nothing extra in the same pass.
    func walk(_ host: UnsafeBufferPointer<UInt8>) -> Walk? {
        let count = host.count
        guard count > 0, count <= HostName.maxLength else { return nil }
        var hash = SuffixTable<UInt8>.initialHash
        var walking = true
        var labelCount = 0
        var labelLength = 0
        var lastLabelIsNumeric = true
        var suffixLabels = 0
        var section: PublicSuffixList.Section?
        var position = count - 1
        while true {
            let atStart = position < 0
            let byte = atStart ? 0x2E : host[position]
            if byte == 0x2E {
                guard labelLength > 0, labelLength <= HostName.maxLabelLength else { return nil }
                labelCount += 1
                // A numeric last label means an IPv4 address (WHATWG URL "ends in a number").
                if labelCount == 1, lastLabelIsNumeric || Self.isHexNumber(host[(position + 1)...]) {
                    return nil
                }
                if walking {
                    if let flags = table.payload(hash: hash, host: host, start: position + 1).map(Flags.init) {
                        if flags.contains(.exception) {
                            // An exception beats every other rule: its parent is the suffix.
                            suffixLabels = labelCount - 1
                            section = Self.section(flags, .exception)
                            walking = false
                        } else {
                            if flags.contains(.exact) {
                                suffixLabels = labelCount
                                section = Self.section(flags, .exact)
                            }
                            // `*.ck` matches only when there is a label left of `ck`.
                            if flags.contains(.wildcard), !atStart {
                                suffixLabels = labelCount + 1
                                section = Self.section(flags, .wildcard)
                            }
                        }
                    } else {
                        walking = false
                    }
                }
                if atStart { break }
                labelLength = 0
            } else {
                labelLength += 1
                if labelCount == 0, byte < 0x30 || byte > 0x39 { lastLabelIsNumeric = false }
            }
            if walking { hash = SuffixTable<UInt8>.hash(hash, adding: byte) }
            position -= 1
        }
        if suffixLabels == 0 {
            // The implicit default rule `*`: an unlisted TLD is a public suffix.
            return Walk(labelCount: labelCount, suffixLabels: 1, section: nil)
        }
        return Walk(labelCount: labelCount, suffixLabels: suffixLabels, section: section)
    }

    private static func section(_ flags: Flags, _ kind: Flags) -> PublicSuffixList.Section {
        flags.contains(kind.privateSection) ? .private : .icann
    }

    /// `0x` followed by hex digits (or nothing), which URL parsers also read as a number.
    private static func isHexNumber(_ label: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard label.count >= 2, label.first == 0x30, label[label.startIndex + 1] == 0x78 else { return false }
        return label.dropFirst(2).allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
