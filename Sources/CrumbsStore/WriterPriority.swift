import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How the recorder's writer thread competes with the event loops for the CPU.
///
/// The writer always runs at nice +10. Under heavy traffic (batches of `smallBatch` events or
/// more) it also drops to Linux's `SCHED_IDLE`, for the write and the sleep after it, so that an
/// event loop waking up takes the CPU from it at once: at a lower nice value alone the writer
/// kept its time slice, and one request in a hundred waited ~3 ms for it (scripts/bench-proxy,
/// 1 KiB at concurrency 1: p99 3.5 ms; 0.4–0.7 ms this way).
///
/// `SCHED_IDLE` is used only where it can be left again: leaving it needs `CAP_SYS_NICE` or an
/// `RLIMIT_NICE` that allows nice 10, which a probe thread tries once. Without that (an ordinary
/// user by default) the writer stays at nice +10, since a thread stuck in `SCHED_IDLE` could
/// starve on a busy machine. It stays in the foreground while it is behind or stopping, and
/// others pull it out of the background with `foreground(_:)` when they wait for it or for its
/// lock (the recorder's lock may be held by a writer preempted in the background: priority
/// inheritance by hand).
struct WriterPriority {
    /// Pending events at which the writer stops yielding, and below which it yields again.
    let fallingBehind: Int
    let caughtUp: Int
    private var behind = false

    init(batchSize: Int) {
        fallingBehind = Self.fallingBehind(batchSize: batchSize)
        caughtUp = batchSize
    }

    /// Four batches waiting: the writer is behind.
    static func fallingBehind(batchSize: Int) -> Int { 4 * batchSize }

    /// Below this many events a batch is written (and the writer then sleeps) in the
    /// foreground: it costs well under a millisecond, and light traffic on a busy machine still
    /// reaches the database at once.
    static let smallBatch = 64

    /// Whether the write of `batch` events, and the sleep after it, may be in the background,
    /// with `pending` events waiting in all.
    mutating func mayYield(batch: Int, pending: Int, stopping: Bool) -> Bool {
        if pending >= fallingBehind {
            behind = true
        } else if pending < caughtUp {
            behind = false
        }
        return !stopping && !behind && batch >= Self.smallBatch
    }

    /// Whether this process may leave `SCHED_IDLE` again, tried once on a throwaway thread.
    static let backgroundIsAvailable: Bool = probe()

    /// Called once by the writer thread: nice +10 for good.
    static func lowerNice() {
        #if os(Linux)
            _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
        #endif
    }

    /// Moves the calling thread into or out of the background (best effort).
    static func background(_ on: Bool) {
        guard backgroundIsAvailable else { return }
        setPolicy(of: pthread_self(), idle: on)
    }

    /// Pulls `thread` out of the background, from another thread: when the writer is needed now
    /// (stopping, flushing) but may be starved in the background.
    static func foreground(_ thread: pthread_t) {
        guard backgroundIsAvailable else { return }
        setPolicy(of: thread, idle: false)
    }

    @discardableResult
    private static func setPolicy(of thread: pthread_t, idle: Bool) -> Bool {
        #if os(Linux)
            let schedIdle: Int32 = 5  // SCHED_IDLE, behind _GNU_SOURCE in <sched.h>
            var parameters = sched_param(sched_priority: 0)
            return pthread_setschedparam(thread, idle ? schedIdle : Int32(SCHED_OTHER), &parameters) == 0
        #else
            return false
        #endif
    }

    private static func probe() -> Bool {
        #if os(Linux)
            let result = ProbeResult()
            let thread = Thread {
                lowerNice()
                let current = pthread_self()
                result.set(setPolicy(of: current, idle: true) && setPolicy(of: current, idle: false))
            }
            thread.start()
            return result.wait()
        #else
            return false
        #endif
    }
}

/// The probe thread's answer.
private final class ProbeResult: @unchecked Sendable {
    // @unchecked: `value` is only touched while `condition` is locked.
    private let condition = NSCondition()
    private var value: Bool?

    func set(_ answer: Bool) {
        condition.lock()
        value = answer
        condition.broadcast()
        condition.unlock()
    }

    func wait() -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value ?? false
    }
}
