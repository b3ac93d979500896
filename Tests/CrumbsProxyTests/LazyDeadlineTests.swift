import NIOCore
import NIOEmbedded
import Testing

@testable import CrumbsProxy

/// `LazyDeadline` on an `EmbeddedEventLoop`, whose clock moves only when told to.
struct LazyDeadlineTests {
    /// A check that answers from a script and counts its runs.
    private final class Script {
        var answers: [TimeAmount?]
        var runs = 0
        init(_ answers: [TimeAmount?]) { self.answers = answers }
        func next() -> TimeAmount? {
            runs += 1
            return answers.isEmpty ? nil : answers.removeFirst()
        }
    }

    @Test func oneCheckIsPendingHoweverOftenTheDeadlineMoves() {
        let loop = EmbeddedEventLoop()
        let script = Script([nil])
        let deadline = LazyDeadline(on: loop) { script.next() }
        for _ in 0..<1000 { deadline.ensure(within: .seconds(10)) }
        loop.advanceTime(by: .seconds(9))
        #expect(script.runs == 0)
        loop.advanceTime(by: .seconds(1))
        #expect(script.runs == 1)
        // The check said stop: nothing more runs until someone ensures again.
        loop.advanceTime(by: .seconds(60))
        #expect(script.runs == 1)
        deadline.ensure(within: .seconds(10))
        loop.advanceTime(by: .seconds(10))
        #expect(script.runs == 2)
    }

    @Test func theCheckDecidesWhenItRunsNext() {
        let loop = EmbeddedEventLoop()
        let script = Script([.seconds(3), .seconds(1), nil])
        let deadline = LazyDeadline(on: loop) { script.next() }
        deadline.ensure(within: .seconds(10))
        loop.advanceTime(by: .seconds(10))
        #expect(script.runs == 1)
        loop.advanceTime(by: .seconds(2))
        #expect(script.runs == 1)
        loop.advanceTime(by: .seconds(1))
        #expect(script.runs == 2)
        loop.advanceTime(by: .seconds(1))
        #expect(script.runs == 3)
        loop.advanceTime(by: .seconds(30))
        #expect(script.runs == 3)
    }

    @Test func cancelStopsThePendingCheck() {
        let loop = EmbeddedEventLoop()
        let script = Script([.seconds(1)])
        let deadline = LazyDeadline(on: loop) { script.next() }
        deadline.ensure(within: .seconds(1))
        deadline.cancel()
        loop.advanceTime(by: .seconds(5))
        #expect(script.runs == 0)
    }
}
