/// Byte-string domain keys in a hash table addressed by label suffix, so that walking a host from
/// its last label to its first (`net`, `doubleclick.net`, `a.doubleclick.net`) costs one hash
/// probe per label, in a single right-to-left pass, with no allocation and no regex.
///
/// Every suffix of every key gets a node (`uk` for `co.uk`), even when it is not itself a key, so
/// a walk can stop at the first suffix no key ends with. The Public Suffix List's `RuleTable`
/// stores rule flags in it, the entity map's `DomainTable` an entry index.
struct SuffixTable<Payload: Sendable>: Sendable {
    private struct Node: Sendable {
        var keyStart: Int32
        var keyLength: Int32
        var payload: Payload
        /// The next node with the same 64-bit hash, or -1: collisions are unlikely but handled.
        var next: Int32
    }

    private var index: [UInt64: Int32] = [:]
    private var nodes: [Node] = []
    /// All node keys back to back, so the table holds three arrays, not thousands of Strings.
    private var keyBytes: [UInt8] = []
    /// The payload of a node that is only a suffix on the way to a key.
    private let empty: Payload

    init(empty: Payload) {
        self.empty = empty
    }

    // FNV-1a, fed the suffix bytes from right to left: extending the suffix by one label
    // continues the same hash instead of starting again.
    static var initialHash: UInt64 { 0xcbf2_9ce4_8422_2325 }

    @inline(__always)
    static func hash(_ hash: UInt64, adding byte: UInt8) -> UInt64 {
        (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }

    /// Adds nodes for `key` (lower-case ACE, no trailing dot) and each of its label suffixes;
    /// returns the node of `key` itself, whose payload the caller then sets.
    mutating func insert(_ key: [UInt8]) -> Int32 {
        var hash = Self.initialHash
        var position = key.count - 1
        while true {
            if position < 0 || key[position] == 0x2E {
                let node = findOrAdd(hash: hash, key: key[(position + 1)...])
                if position < 0 { return node }
            }
            hash = Self.hash(hash, adding: key[position])
            position -= 1
        }
    }

    subscript(node: Int32) -> Payload {
        get { nodes[Int(node)].payload }
        set { nodes[Int(node)].payload = newValue }
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
            Node(keyStart: Int32(keyBytes.count), keyLength: Int32(key.count), payload: empty, next: index[hash] ?? -1))
        keyBytes.append(contentsOf: key)
        index[hash] = added
        return added
    }

    /// The payload of the node whose key equals `host[start...]`, whose hash is `hash`; nil when
    /// no key ends with that suffix (the walk can stop).
    func payload(hash: UInt64, host: UnsafeBufferPointer<UInt8>, start: Int) -> Payload? {
        guard var candidate = index[hash] else { return nil }
        let length = host.count - start
        return keyBytes.withUnsafeBufferPointer { keys -> Payload? in
            while candidate >= 0 {
                let node = nodes[Int(candidate)]
                if Int(node.keyLength) == length {
                    var offset = 0
                    let base = Int(node.keyStart)
                    while offset < length && keys[base + offset] == host[start + offset] { offset += 1 }
                    if offset == length { return node.payload }
                }
                candidate = node.next
            }
            return nil
        }
    }
}
