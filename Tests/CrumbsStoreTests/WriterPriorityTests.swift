import Testing

@testable import CrumbsStore

/// When the recorder's writer yields the CPU to the event loops, and when it stops yielding.
struct WriterPriorityTests {
    @Test func theWriterStartsInTheBackgroundAndStaysThereWhileItKeepsUp() {
        var priority = WriterPriority(batchSize: 100)
        #expect(priority.adjust(pending: 0, stopping: false) == .background)
        #expect(priority.adjust(pending: 399, stopping: false) == nil)
        #expect(priority.level == .background)
    }

    @Test func fallingBehindRaisesItUntilItHasCaughtUp() {
        var priority = WriterPriority(batchSize: 100)
        _ = priority.adjust(pending: 0, stopping: false)
        #expect(priority.adjust(pending: 400, stopping: false) == .normal)
        // Still a full batch behind: no flapping back and forth.
        #expect(priority.adjust(pending: 150, stopping: false) == nil)
        #expect(priority.adjust(pending: 99, stopping: false) == .background)
    }

    @Test func stoppingOrFlushingNeverWaitsInTheBackground() {
        var priority = WriterPriority(batchSize: 100)
        _ = priority.adjust(pending: 0, stopping: false)
        #expect(priority.adjust(pending: 1, stopping: true) == .normal)
        #expect(priority.adjust(pending: 0, stopping: true) == nil)
    }
}
