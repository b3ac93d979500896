/// A fixed-capacity least-recently-used cache: O(1) lookup, insert and eviction.
///
/// Entries live in an array and are chained into a recency list by index, so a hit only relinks
/// two integers and nothing is allocated once the cache is full. Not thread-safe: the owner
/// wraps it in a lock.
struct LRUCache<Key: Hashable, Value> {
    fileprivate struct Entry {
        var key: Key
        var value: Value
        var newer: Int?
        var older: Int?
    }

    let capacity: Int
    private var entries: [Entry] = []
    private var indexByKey: [Key: Int] = [:]
    private var newest: Int?
    private var oldest: Int?

    init(capacity: Int) {
        precondition(capacity > 0, "LRU capacity must be positive")
        self.capacity = capacity
        entries.reserveCapacity(min(capacity, 4096))
        indexByKey.reserveCapacity(min(capacity, 4096))
    }

    var count: Int { entries.count }

    /// The value for `key`, which becomes the most recently used.
    mutating func value(for key: Key) -> Value? {
        guard let index = indexByKey[key] else { return nil }
        moveToNewest(index)
        return entries[index].value
    }

    /// Whether `key` is cached, without changing recency.
    func contains(_ key: Key) -> Bool { indexByKey[key] != nil }

    /// Inserts or replaces `key`; returns the evicted key when the cache was full.
    @discardableResult
    mutating func insert(_ value: Value, for key: Key) -> Key? {
        if let index = indexByKey[key] {
            entries[index].value = value
            moveToNewest(index)
            return nil
        }
        if entries.count < capacity {
            entries.append(Entry(key: key, value: value, newer: nil, older: nil))
            let index = entries.count - 1
            indexByKey[key] = index
            linkAsNewest(index)
            return nil
        }
        // Full: reuse the oldest slot for the new entry.
        let index = oldest!
        let evicted = entries[index].key
        unlink(index)
        indexByKey[evicted] = nil
        entries[index] = Entry(key: key, value: value, newer: nil, older: nil)
        indexByKey[key] = index
        linkAsNewest(index)
        return evicted
    }

    /// Keys from most to least recently used (for tests and diagnostics).
    var keysByRecency: [Key] {
        var keys: [Key] = []
        var cursor = newest
        while let index = cursor {
            keys.append(entries[index].key)
            cursor = entries[index].older
        }
        return keys
    }

    private mutating func moveToNewest(_ index: Int) {
        guard newest != index else { return }
        unlink(index)
        linkAsNewest(index)
    }

    private mutating func unlink(_ index: Int) {
        let newer = entries[index].newer
        let older = entries[index].older
        if let newer { entries[newer].older = older } else { newest = older }
        if let older { entries[older].newer = newer } else { oldest = newer }
        entries[index].newer = nil
        entries[index].older = nil
    }

    private mutating func linkAsNewest(_ index: Int) {
        entries[index].older = newest
        entries[index].newer = nil
        if let newest { entries[newest].newer = index }
        newest = index
        if oldest == nil { oldest = index }
    }
}

extension LRUCache: Sendable where Key: Sendable, Value: Sendable {}
extension LRUCache.Entry: Sendable where Key: Sendable, Value: Sendable {}
