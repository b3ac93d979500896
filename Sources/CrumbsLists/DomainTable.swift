/// Domain keys in a hash table addressed by label suffix, so that finding the most specific
/// listed suffix of a host (`a.b.doubleclick.net` → `doubleclick.net`) is one hash probe per
/// label in a single right-to-left pass, with no allocation and no regex.
///
/// Every suffix of every key gets a node (`net` for `doubleclick.net`), so the walk stops at
/// the first suffix no key ends with. The same design as the PSL's `RuleTable`, holding an
/// entry index instead of rule flags.
struct DomainTable: Sendable {
    private struct Node: Sendable {
        var keyStart: Int32
        var keyLength: Int32
        /// The entry stored under this exact key, or -1 for a suffix that is only on the way.
        var value: Int32
        /// The next node with the same 64-bit hash, or -1.
        var next: Int32
    }

    private var index: [UInt64: Int32] = [:]
    private var nodes: [Node] = []
    private var keyBytes: [UInt8] = []

    // FNV-1a fed right to left: extending a suffix by one label continues the same hash.
    private static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    private static let prime: UInt64 = 0x0000_0100_0000_01B3

    /// Keys stored with a value (not counting the suffix-only nodes).
    private(set) var count = 0

    /// Stores `value` under `key` (lower-case ACE, no trailing dot), replacing an earlier value.
    mutating func insert(_ key: String, value: Int32) {
        let bytes = Array(key.utf8)
        guard !bytes.isEmpty else { return }
        var hash = Self.offsetBasis
        var position = bytes.count - 1
        while true {
            if position < 0 || bytes[position] == 0x2E {
                let node = findOrAdd(hash: hash, key: bytes[(position + 1)...])
                if position < 0 {
                    if nodes[Int(node)].value < 0 { count += 1 }
                    nodes[Int(node)].value = value
                    return
                }
            }
            hash = (hash ^ UInt64(bytes[position])) &* Self.prime
            position -= 1
        }
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
            Node(keyStart: Int32(keyBytes.count), keyLength: Int32(key.count), value: -1, next: index[hash] ?? -1))
        keyBytes.append(contentsOf: key)
        index[hash] = added
        return added
    }

    /// The value of the longest stored key that equals `host` or is a label suffix of it.
    /// `host` is lower-case ACE without a trailing dot.
    func longestMatch(_ host: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard !host.isEmpty else { return nil }
        return keyBytes.withUnsafeBufferPointer { keys -> Int32? in
            var hash = Self.offsetBasis
            var best: Int32?
            var position = host.count - 1
            while true {
                if position < 0 || host[position] == 0x2E {
                    guard let node = find(hash: hash, host: host, start: position + 1, keys: keys) else { break }
                    if node.value >= 0 { best = node.value }
                    if position < 0 { break }
                }
                hash = (hash ^ UInt64(host[position])) &* Self.prime
                position -= 1
            }
            return best
        }
    }

    private func find(hash: UInt64, host: UnsafeBufferPointer<UInt8>, start: Int, keys: UnsafeBufferPointer<UInt8>)
        -> Node?
    {
        guard var candidate = index[hash] else { return nil }
        let length = host.count - start
        while candidate >= 0 {
            let node = nodes[Int(candidate)]
            if Int(node.keyLength) == length {
                let base = Int(node.keyStart)
                var offset = 0
                while offset < length && keys[base + offset] == host[start + offset] { offset += 1 }
                if offset == length { return node }
            }
            candidate = node.next
        }
        return nil
    }
}
