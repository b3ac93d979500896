import CrumbsModel

/// The recorder's queue of events waiting to be written: first in, first out, bounded by
/// `capacity` by dropping the oldest. Each event carries a sequence number so that `flush` can
/// tell whether everything recorded before a given moment has left the queue.
///
/// A ring buffer, so that appending and dropping the oldest are O(1) without ever shifting the
/// held events (which would stall the event loop when the buffer is full). A value type with no
/// locking and no clock, so its rules are tested without threads.
struct EventBuffer {
    struct Batch {
        /// Sequence number of the first event; the others follow consecutively.
        var first: UInt64
        var events: [RequestEvent]
    }

    private typealias Slot = (sequence: UInt64, event: RequestEvent)

    let capacity: Int
    private var slots: [Slot?] = []
    private var head = 0
    private(set) var count = 0
    /// The sequence number the next recorded event gets (= how many were ever recorded).
    private(set) var nextSequence: UInt64 = 0

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var isEmpty: Bool { count == 0 }

    /// The sequence number of the oldest event still held, if any.
    var oldestSequence: UInt64? { isEmpty ? nil : slots[head]?.sequence }

    /// Appends `event`; returns how many of the oldest events were dropped to stay in capacity.
    mutating func append(_ event: RequestEvent) -> Int {
        var dropped = 0
        if count == capacity {
            removeOldest()
            dropped = 1
        }
        if count == slots.count { grow() }
        slots[(head + count) % slots.count] = (nextSequence, event)
        count += 1
        nextSequence += 1
        return dropped
    }

    /// Removes and returns up to `maximum` of the oldest events.
    mutating func take(maximum: Int) -> Batch? {
        guard let first = oldestSequence else { return nil }
        var events: [RequestEvent] = []
        events.reserveCapacity(min(maximum, count))
        while events.count < maximum, let slot = removeOldest() {
            events.append(slot.event)
        }
        return Batch(first: first, events: events)
    }

    /// Puts a batch that could not be written back in front of the newer events, then drops the
    /// oldest beyond capacity; returns how many were dropped. Runs on the writer thread after a
    /// failed write, so rebuilding the ring here costs the event loop nothing.
    mutating func putBack(_ batch: Batch) -> Int {
        var held: [Slot?] = batch.events.enumerated().map {
            (batch.first + UInt64($0.offset), $0.element)
        }
        while let slot = removeOldest() { held.append(slot) }
        let dropped = max(0, held.count - capacity)
        held.removeFirst(dropped)
        slots = held
        head = 0
        count = held.count
        return dropped
    }

    @discardableResult
    private mutating func removeOldest() -> Slot? {
        guard count > 0 else { return nil }
        let slot = slots[head]
        slots[head] = nil
        head = (head + 1) % slots.count
        count -= 1
        return slot
    }

    /// Doubles the ring (up to capacity), unrolling it so that the oldest event is at index 0.
    private mutating func grow() {
        let size = min(capacity, max(16, slots.count * 2))
        var grown: [Slot?] = []
        grown.reserveCapacity(size)
        for offset in 0..<count { grown.append(slots[(head + offset) % slots.count]) }
        grown.append(contentsOf: repeatElement(nil, count: size - count))
        slots = grown
        head = 0
    }
}
