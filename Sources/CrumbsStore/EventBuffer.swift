import CrumbsModel

/// The recorder's queue of events waiting to be written: first in, first out, bounded by
/// `capacity` events and by `byteBudget` bytes of memory (`RequestEvent.approximateFootprint`) by
/// dropping the oldest. The byte bound is the one that matters: events with many cookies weigh
/// ten times more than bare ones, and a count alone let a failing disk cost 368 MB. Each event carries a sequence number so that `flush` can
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

    private typealias Slot = (sequence: UInt64, event: RequestEvent, bytes: Int)

    let capacity: Int
    let byteBudget: Int
    /// The approximate memory of the held events.
    private(set) var bytes = 0
    private var slots: [Slot?] = []
    private var head = 0
    private(set) var count = 0
    /// The sequence number the next recorded event gets (= how many were ever recorded).
    private(set) var nextSequence: UInt64 = 0

    init(capacity: Int, byteBudget: Int = .max) {
        self.capacity = max(1, capacity)
        self.byteBudget = max(1, byteBudget)
    }

    /// Slots the ring holds, used or not: what it costs even when empty.
    var reservedSlots: Int { slots.count }

    var isEmpty: Bool { count == 0 }

    /// The sequence number of the oldest event still held, if any.
    var oldestSequence: UInt64? { isEmpty ? nil : slots[head]?.sequence }

    /// Appends `event`; returns how many of the oldest events were dropped to stay in capacity.
    mutating func append(_ event: RequestEvent) -> Int {
        let size = event.approximateFootprint
        var dropped = 0
        while count > 0, count == capacity || bytes + size > byteBudget {
            removeOldest()
            dropped += 1
        }
        if count == slots.count { grow() }
        slots[(head + count) % slots.count] = (nextSequence, event, size)
        count += 1
        bytes += size
        nextSequence += 1
        return dropped
    }

    /// Gives the ring's storage back once the queue is empty (after a failure episode the ring
    /// may have grown to hundreds of thousands of slots, each as large as an event).
    mutating func releaseStorage() {
        guard isEmpty else { return }
        slots = []
        head = 0
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
            (batch.first + UInt64($0.offset), $0.element, $0.element.approximateFootprint)
        }
        while let slot = removeOldest() { held.append(slot) }
        var total = held.reduce(0) { $0 + ($1?.bytes ?? 0) }
        var dropped = max(0, held.count - capacity)
        for slot in held.prefix(dropped) { total -= slot?.bytes ?? 0 }
        while dropped < held.count - 1, total > byteBudget {
            total -= held[dropped]?.bytes ?? 0
            dropped += 1
        }
        held.removeFirst(dropped)
        slots = held
        head = 0
        count = held.count
        bytes = total
        return dropped
    }

    @discardableResult
    private mutating func removeOldest() -> Slot? {
        guard count > 0 else { return nil }
        let slot = slots[head]
        slots[head] = nil
        head = (head + 1) % slots.count
        count -= 1
        bytes -= slot?.bytes ?? 0
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
