import Testing

@testable import CrumbsCA

@Suite struct LRUCacheTests {
    @Test func hitMakesAnEntryTheMostRecent() {
        var cache = LRUCache<String, Int>(capacity: 3)
        cache.insert(1, for: "a")
        cache.insert(2, for: "b")
        cache.insert(3, for: "c")
        #expect(cache.value(for: "a") == 1)
        #expect(cache.keysByRecency == ["a", "c", "b"])
    }

    @Test func insertBeyondCapacityEvictsTheOldest() {
        var cache = LRUCache<String, Int>(capacity: 2)
        cache.insert(1, for: "a")
        cache.insert(2, for: "b")
        #expect(cache.insert(3, for: "c") == "a")
        #expect(cache.value(for: "a") == nil)
        #expect(cache.count == 2)
        #expect(cache.keysByRecency == ["c", "b"])
    }

    @Test func replacingAKeyDoesNotEvict() {
        var cache = LRUCache<String, Int>(capacity: 2)
        cache.insert(1, for: "a")
        cache.insert(2, for: "b")
        #expect(cache.insert(10, for: "a") == nil)
        #expect(cache.value(for: "a") == 10)
        #expect(cache.keysByRecency == ["a", "b"])
    }

    @Test func capacityOneKeepsOnlyTheLast() {
        var cache = LRUCache<Int, Int>(capacity: 1)
        for key in 0..<5 { cache.insert(key, for: key) }
        #expect(cache.keysByRecency == [4])
        #expect(cache.value(for: 3) == nil)
    }

    @Test func manyOperationsMatchASimpleModel() {
        var cache = LRUCache<Int, Int>(capacity: 8)
        var model: [Int] = []  // most recent first
        var generator = SplitMix(seed: 42)
        for step in 0..<2_000 {
            let key = Int(generator.next() % 20)
            if generator.next() % 2 == 0 {
                cache.insert(step, for: key)
                model.removeAll { $0 == key }
                model.insert(key, at: 0)
                if model.count > 8 { model.removeLast() }
            } else {
                let hit = cache.value(for: key) != nil
                #expect(hit == model.contains(key))
                if hit {
                    model.removeAll { $0 == key }
                    model.insert(key, at: 0)
                }
            }
        }
        #expect(cache.keysByRecency == model)
    }
}

/// Deterministic generator so the model test is reproducible.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
