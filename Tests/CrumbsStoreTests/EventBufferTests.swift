import CrumbsModel
import Testing

@testable import CrumbsStore

@Suite struct EventBufferTests {
    private func hosts(_ batch: EventBuffer.Batch?) -> [String] {
        batch?.events.map(\.host) ?? []
    }

    @Test func appendBeyondCapacityDropsTheOldest() {
        var buffer = EventBuffer(capacity: 3)
        let dropped = (0..<5).map { buffer.append(minimalEvent($0)) }
        #expect(dropped == [0, 0, 0, 1, 1])
        #expect(buffer.count == 3)
        #expect(buffer.oldestSequence == 2)
        #expect(hosts(buffer.take(maximum: 10)) == ["plain2.example", "plain3.example", "plain4.example"])
        #expect(buffer.isEmpty)
        #expect(buffer.nextSequence == 5)
    }

    @Test func theByteBudgetBoundsTheQueueWhateverTheCount() {
        let size = minimalEvent(0).approximateFootprint
        var buffer = EventBuffer(capacity: 1_000_000, byteBudget: size * 3)
        let dropped = (0..<5).map { buffer.append(minimalEvent($0)) }
        #expect(dropped == [0, 0, 0, 1, 1])
        #expect(buffer.bytes == size * 3)
        // A heavy event (many cookies) pushes out as many light ones as it needs.
        var heavy = minimalEvent(9)
        heavy.cookiesSent = (0..<40).map {
            SentCookie(name: "cookie-name-number-\($0)", valueHash: String(repeating: "h", count: 32), valueLength: 20)
        }
        var small = EventBuffer(capacity: 100, byteBudget: heavy.approximateFootprint + size)
        for index in 0..<3 { _ = small.append(minimalEvent(index)) }
        #expect(small.append(heavy) == 2)
        #expect(hosts(small.take(maximum: 10)) == ["plain2.example", "plain9.example"])
        #expect(small.bytes == 0)
    }

    @Test func putBackKeepsTheByteBudget() {
        let size = minimalEvent(0).approximateFootprint
        var buffer = EventBuffer(capacity: 100, byteBudget: size * 4)
        for index in 0..<3 { _ = buffer.append(minimalEvent(index)) }
        let batch = buffer.take(maximum: 3)!
        for index in 3..<6 { _ = buffer.append(minimalEvent(index)) }
        #expect(buffer.putBack(batch) == 2)
        #expect(buffer.bytes == size * 4)
        #expect(hosts(buffer.take(maximum: 10)).first == "plain2.example")
    }

    @Test func anEmptiedQueueGivesItsRingBack() {
        var buffer = EventBuffer(capacity: 100_000)
        for index in 0..<50_000 { _ = buffer.append(minimalEvent(index)) }
        #expect(buffer.reservedSlots >= 50_000)
        _ = buffer.take(maximum: .max)
        buffer.releaseStorage()
        #expect(buffer.reservedSlots == 0)
        _ = buffer.append(minimalEvent(1))
        #expect(hosts(buffer.take(maximum: 1)) == ["plain1.example"])
    }

    @Test func takeRespectsTheMaximumAndNumbersBatches() {
        var buffer = EventBuffer(capacity: 100)
        for index in 0..<5 { _ = buffer.append(minimalEvent(index)) }
        let batch = buffer.take(maximum: 2)
        #expect(batch?.first == 0)
        #expect(hosts(batch) == ["plain0.example", "plain1.example"])
        #expect(buffer.take(maximum: 2)?.first == 2)
        #expect(buffer.count == 1)
    }

    @Test func putBackReturnsABatchInFrontAndTrimsTheOldest() {
        var buffer = EventBuffer(capacity: 4)
        for index in 0..<3 { _ = buffer.append(minimalEvent(index)) }
        let batch = buffer.take(maximum: 3)!
        for index in 3..<6 { _ = buffer.append(minimalEvent(index)) }
        #expect(buffer.putBack(batch) == 2)
        #expect(buffer.oldestSequence == 2)
        #expect(
            hosts(buffer.take(maximum: 10))
                == ["plain2.example", "plain3.example", "plain4.example", "plain5.example"])
    }

    @Test func orderSurvivesWrappingAndGrowingTheRing() {
        var buffer = EventBuffer(capacity: 1000)
        var expected: [String] = []
        var taken: [String] = []
        var next = 0
        // Interleave appends and takes so that the ring wraps, then grows while wrapped.
        for round in 0..<40 {
            for _ in 0..<(round % 7 + 3) {
                _ = buffer.append(minimalEvent(next))
                expected.append("plain\(next).example")
                next += 1
            }
            taken += hosts(buffer.take(maximum: round % 5 + 1))
        }
        taken += hosts(buffer.take(maximum: .max))
        #expect(taken == expected)
    }
}
