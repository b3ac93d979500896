/// The rules of a Public Suffix List, keyed by label suffix so that a lookup is one hash probe
/// per label of the host, computed in a single right-to-left pass with no allocation.
///
/// Every suffix of every rule gets a node (`uk` for `co.uk`), even when it is not itself a rule,
/// so the walk can stop at the first suffix no rule ends with.
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

    private struct Node: Sendable {
        var keyStart: Int32
        var keyLength: Int32
        var flags: UInt8
        /// The next node with the same 64-bit hash, or -1: collisions are unlikely but handled.
        var next: Int32
    }

    private var index: [UInt64: Int32] = [:]
    private var nodes: [Node] = []
    /// All node keys (suffixes in ACE form) back to back, so the table holds three arrays, not
    /// thousands of Strings.
    private var keyBytes: [UInt8] = []

    // FNV-1a, fed the suffix bytes from right to left: extending the suffix by one label
    // continues the same hash instead of starting again.
    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// Adds a rule whose key is `key` (ACE, no `*.` or `!`). False when that rule was already there.
    mutating func insert(key: [UInt8], kind: Flags, isPrivate: Bool) -> Bool {
        var hash = Self.offsetBasis
        var position = key.count - 1
        var node: Int32 = -1
        while true {
            if position < 0 || key[position] == 0x2E {
                node = findOrAdd(hash: hash, key: key[(position + 1)...])
                if position < 0 { break }
            }
            hash = (hash ^ UInt64(key[position])) &* Self.prime
            position -= 1
        }
        let existing = Flags(rawValue: nodes[Int(node)].flags)
        if existing.contains(kind) { return false }
        nodes[Int(node)].flags |= kind.rawValue | (isPrivate ? kind.privateSection.rawValue : 0)
        return true
    }

    private mutating func findOrAdd(hash: UInt64, key: ArraySlice<UInt8>) -> Int32 {
        var candidate = index[hash] ?? -1
        while candidate >= 0 {
            let node = nodes[Int(candidate)]
            let start = Int(node.keyStart)
            if keyBytes[start..<(start + Int(node.keyLength))].elementsEqual(key) { return candidate }
            candidate = node.next
        }
        let added = Int32(nodes.count)
        nodes.append(
            Node(
                keyStart: Int32(keyBytes.count), keyLength: Int32(key.count), flags: 0, next: index[hash] ?? -1))
        keyBytes.append(contentsOf: key)
        index[hash] = added
        return added
    }

    /// The flags of the node whose key equals `host[start...]`, if there is one.
    private func flags(hash: UInt64, host: UnsafeBufferPointer<UInt8>, start: Int) -> Flags? {
        guard var candidate = index[hash] else { return nil }
        let length = host.count - start
        return keyBytes.withUnsafeBufferPointer { keys -> Flags? in
            while candidate >= 0 {
                let node = nodes[Int(candidate)]
                if Int(node.keyLength) == length {
                    var offset = 0
                    let base = Int(node.keyStart)
                    while offset < length && keys[base + offset] == host[start + offset] { offset += 1 }
                    if offset == length { return Flags(rawValue: node.flags) }
                }
                candidate = node.next
            }
            return nil
        }
    }

    /// Applies the PSL algorithm to an ACE host without a trailing dot. Checks the labels on the
    /// way (empty, too long, numeric last label) and returns nil for anything that is not a
    /// domain name: the checks cost nothing extra in the same pass.
    func walk(_ host: UnsafeBufferPointer<UInt8>) -> Walk? {
        let count = host.count
        guard count > 0, count <= HostName.maxLength else { return nil }
        var hash = Self.offsetBasis
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
                    if let flags = flags(hash: hash, host: host, start: position + 1) {
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
            if walking { hash = (hash ^ UInt64(byte)) &* Self.prime }
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
