import Foundation
import Testing

@testable import CrumbsStore

/// When the recorder's writer yields the CPU to the event loops, and when it stops yielding.
struct WriterPriorityTests {
    @Test func theWriterYieldsWhileItKeepsUp() {
        var priority = WriterPriority(batchSize: 100)
        let idle = priority.mayYield(pending: 0, stopping: false)
        let almostBehind = priority.mayYield(pending: 399, stopping: false)
        #expect(idle && almostBehind)
    }

    @Test func fallingBehindStopsTheYieldingUntilItHasCaughtUp() {
        var priority = WriterPriority(batchSize: 100)
        let behind = priority.mayYield(pending: 400, stopping: false)
        // Still a full batch behind: no flapping back and forth.
        let catchingUp = priority.mayYield(pending: 150, stopping: false)
        let caughtUp = priority.mayYield(pending: 99, stopping: false)
        #expect(!behind && !catchingUp && caughtUp)
    }

    @Test func stoppingOrFlushingNeverWaitsInTheBackground() {
        var priority = WriterPriority(batchSize: 100)
        let withWork = priority.mayYield(pending: 1, stopping: true)
        let empty = priority.mayYield(pending: 0, stopping: true)
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
            while policies == nil { _ = done.wait(until: Date(timeIntervalSinceNow: 5)) }
            done.unlock()
            let schedIdle: Int32 = 5
            let expectedInside = WriterPriority.backgroundIsAvailable ? schedIdle : Int32(SCHED_OTHER)
            #expect(policies?.inside == expectedInside)
            #expect(policies?.after == Int32(SCHED_OTHER))
        #endif
    }
}
