import NIOCore

/// A timeout whose deadline moves later far more often than it expires: a connection's idle
/// time, an upstream's silence. Instead of rescheduling a task every time the deadline moves
/// (a heap insert and a cancel per request), one check stays pending; when it runs, `check`
/// looks at the current state and returns how long to wait for the next check, or nil to stop.
/// Whoever moves the deadline calls `ensure(within:)`, which only schedules when nothing is
/// pending.
///
/// Lives on one event loop. `check` should capture its owner weakly; `cancel()` when the owner
/// goes away.
final class LazyDeadline {
    private let eventLoop: EventLoop
    private let check: () -> TimeAmount?
    private var pending: Scheduled<Void>?

    init(on eventLoop: EventLoop, check: @escaping () -> TimeAmount?) {
        self.eventLoop = eventLoop
        self.check = check
    }

    /// Makes sure a check runs within `delay`: the pending one if there is one (it was scheduled
    /// with the same timeout earlier, so it runs sooner), otherwise a new one.
    func ensure(within delay: TimeAmount) {
        guard pending == nil else { return }
        schedule(after: delay)
    }

    /// For a `check`: the time left until `timeout` has passed since `start`, nil once it has.
    static func timeLeft(since start: NIODeadline, timeout: TimeAmount) -> TimeAmount? {
        let elapsed = NIODeadline.now() - start
        return elapsed >= timeout ? nil : timeout - elapsed
    }

    func cancel() {
        pending?.cancel()
        pending = nil
    }

    private func schedule(after delay: TimeAmount) {
        pending = eventLoop.assumeIsolated().scheduleTask(in: max(delay, .zero)) { [self] in
            pending = nil
            if let next = check() { schedule(after: next) }
        }
    }
}
