import Foundation
import Testing

@testable import CrumbsStore

/// When the recorder's writer yields the CPU to the event loops, and when it stops yielding.
struct WriterPriorityTests {
    @Test func theWriterYieldsWhileItKeepsUp() {
        var priority = WriterPriority(batchSize: 100)
        let idle = priority.mayYield(batch: 100, pending: 0, stopping: false)
        let almostBehind = priority.mayYield(batch: 100, pending: 399, stopping: false)
        #expect(idle && almostBehind)
    }

    @Test func fallingBehindStopsTheYieldingUntilItHasCaughtUp() {
        var priority = WriterPriority(batchSize: 100)
        let behind = priority.mayYield(batch: 100, pending: 400, stopping: false)
        // Still a full batch behind: no flapping back and forth.
        let catchingUp = priority.mayYield(batch: 100, pending: 150, stopping: false)
        let caughtUp = priority.mayYield(batch: 100, pending: 99, stopping: false)
        #expect(!behind && !catchingUp && caughtUp)
    }

    @Test func smallBatchesAreWrittenInTheForeground() {
        var priority = WriterPriority(batchSize: 1000)
        let small = priority.mayYield(batch: WriterPriority.smallBatch - 1, pending: 63, stopping: false)
        let large = priority.mayYield(batch: WriterPriority.smallBatch, pending: 64, stopping: false)
        #expect(!small && large)
    }

    @Test func stoppingOrFlushingNeverWaitsInTheBackground() {
        var priority = WriterPriority(batchSize: 100)
        let withWork = priority.mayYield(batch: 100, pending: 1, stopping: true)
        let empty = priority.mayYield(batch: 100, pending: 0, stopping: true)
        #expect(!withWork && !empty)
    }

    /// A thread enters the background only where it may leave it, and always leaves it.
    @Test func theBackgroundIsEnteredOnlyWhereItCanBeLeft() {
        #if os(Linux)
            let done = NSCondition()
            nonisolated(unsafe) var policies: (inside: Int32, after: Int32)?
            let thread = Thread {
                WriterPriority.lowerNice()
                WriterPriority.background(true)
                let inside = sched_getscheduler(0)
                WriterPriority.background(false)
                let after = sched_getscheduler(0)
                done.lock()
                policies = (inside, after)
                done.broadcast()
                done.unlock()
            }
            thread.start()
            done.lock()
            let deadline = Date(timeIntervalSinceNow: 5)  // bounded: a stuck thread fails the test
            while policies == nil, done.wait(until: deadline) {}
            done.unlock()
            let schedIdle: Int32 = 5
            let expectedInside = WriterPriority.backgroundIsAvailable ? schedIdle : Int32(SCHED_OTHER)
            #expect(policies?.inside == expectedInside)
            #expect(policies?.after == Int32(SCHED_OTHER))
        #endif
    }
}
