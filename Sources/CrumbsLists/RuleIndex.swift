/// The three kinds of rule the engine keeps apart, because a decision asks about them in turn.
enum RuleKind: Sendable {
    case important, block, exception
}

/// The first rule of each kind filed under one key; chains continue through `Rule.next`.
struct RuleHeads: Sendable {
    var important: Int32 = -1
    var block: Int32 = -1
    var exception: Int32 = -1

    @inline(__always)
    subscript(kind: RuleKind) -> Int32 {
        get {
            switch kind {
            case .important: important
            case .block: block
            case .exception: exception
            }
        }
        set {
            switch kind {
            case .important: important = newValue
            case .block: block = newValue
            case .exception: exception = newValue
            }
        }
    }
}

/// An open-addressing map from a 64-bit hash (a token or a host) to the chains of rules filed
/// under it, built once and then only read. One probe answers for all three kinds, and a slot
/// keeps key and heads together so a lookup touches one cache line. `size` lets the builder
/// file each rule under its least crowded token.
struct RuleIndex: Sendable {
    private struct Slot: Sendable {
        var key: UInt64 = 0
        var heads = RuleHeads()
        var size: Int32 = 0
    }

    private var slots: [Slot]
    private var shift: UInt64
    private(set) var count = 0

    init() {
        slots = Array(repeating: Slot(), count: 16)
        shift = 64 - 4
    }

    // Key 0 marks an empty slot, so a real 0 is stored as 1 (an extra candidate at worst).
    @inline(__always)
    private static func normalize(_ key: UInt64) -> UInt64 { key == 0 ? 1 : key }

    /// Fibonacci hashing: the multiply spreads FNV's bits, the shift keeps the top ones.
    @inline(__always)
    private func slot(for key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The chains filed under `key`, or nil.
    @inline(__always)
    func heads(_ key: UInt64) -> RuleHeads? {
        let key = Self.normalize(key)
        var index = slot(for: key)
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            while true {
                let found = slots[index].key
                if found == key { return slots[index].heads }
                if found == 0 { return nil }
                index = (index + 1) & mask
            }
        }
    }

    /// How many rules of any kind are filed under `key`.
    func size(_ key: UInt64) -> Int {
        let key = Self.normalize(key)
        var index = slot(for: key)
        while slots[index].key != 0 {
            if slots[index].key == key { return Int(slots[index].size) }
            index = (index + 1) & (slots.count - 1)
        }
        return 0
    }

    /// Files `rule` under `key` and returns the rule of the same kind that was first there
    /// before (or -1), which the caller stores as the new rule's `next`.
    mutating func push(_ key: UInt64, rule: Int32, kind: RuleKind) -> Int32 {
        if (count + 1) * 4 > slots.count * 3 { grow() }
        let key = Self.normalize(key)
        var index = slot(for: key)
        while slots[index].key != 0 && slots[index].key != key { index = (index + 1) & (slots.count - 1) }
        if slots[index].key == 0 {
            slots[index].key = key
            count += 1
        }
        let previous = slots[index].heads[kind]
        slots[index].heads[kind] = rule
        slots[index].size += 1
        return previous
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: Slot(), count: old.count * 2)
        shift -= 1
        for entry in old where entry.key != 0 {
            var index = slot(for: entry.key)
            while slots[index].key != 0 { index = (index + 1) & (slots.count - 1) }
            slots[index] = entry
        }
    }

    /// Every slot's chains, in slot order.
    func forEachHeads(_ body: (RuleHeads) -> Void) {
        for slot in slots where slot.key != 0 { body(slot.heads) }
    }

    /// Renumbers every chain head through `map` (old rule index → new).
    mutating func renumber(_ map: [Int32]) {
        for index in slots.indices where slots[index].key != 0 {
            for kind in [RuleKind.important, .block, .exception] where slots[index].heads[kind] >= 0 {
                slots[index].heads[kind] = map[Int(slots[index].heads[kind])]
            }
        }
    }

    /// The most rules under one key, for statistics.
    var largestBucket: Int { Int(slots.lazy.map(\.size).max() ?? 0) }
}

/// Rules with no usable token, by kind: tried for every request.
struct FallbackRules: Sendable {
    var important: [Int32] = []
    var block: [Int32] = []
    var exception: [Int32] = []

    subscript(kind: RuleKind) -> [Int32] {
        get {
            switch kind {
            case .important: important
            case .block: block
            case .exception: exception
            }
        }
        set {
            switch kind {
            case .important: important = newValue
            case .block: block = newValue
            case .exception: exception = newValue
            }
        }
    }
}
