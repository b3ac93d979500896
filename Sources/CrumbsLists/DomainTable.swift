/// Domain keys of the entity map, each holding an entry index, so that the most specific listed
/// suffix of a host (`a.b.doubleclick.net` → `doubleclick.net`) is found in one right-to-left pass
/// (see `SuffixTable`).
struct DomainTable: Sendable {
    /// -1 marks a suffix that is only on the way to a key.
    private var table = SuffixTable<Int32>(empty: -1)

    /// Keys stored with a value (not counting the suffix-only nodes).
    private(set) var count = 0

    /// Stores `value` under `key` (lower-case ACE, no trailing dot), replacing an earlier value.
    mutating func insert(_ key: String, value: Int32) {
        let bytes = Array(key.utf8)
        guard !bytes.isEmpty else { return }
        let node = table.insert(bytes)
        if table[node] < 0 { count += 1 }
        table[node] = value
    }

    /// The value of the longest stored key that equals `host` or is a label suffix of it.
    /// `host` is lower-case ACE without a trailing dot.
    func longestMatch(_ host: UnsafeBufferPointer<UInt8>) -> Int32? {
        guard !host.isEmpty else { return nil }
        var hash = SuffixTable<Int32>.initialHash
        var best: Int32?
        var position = host.count - 1
        while true {
            if position < 0 || host[position] == 0x2E {
                guard let value = table.payload(hash: hash, host: host, start: position + 1) else { break }
                if value >= 0 { best = value }
                if position < 0 { break }
            }
            hash = SuffixTable<Int32>.hash(hash, adding: host[position])
            position -= 1
        }
        return best
    }
}
