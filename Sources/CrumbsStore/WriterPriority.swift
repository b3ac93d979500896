#if canImport(Glibc)
    import Glibc
#endif

/// How the recorder's writer thread competes with the event loops for the CPU.
///
/// In the background (Linux `SCHED_IDLE`) any event loop that wakes up takes the CPU from the
/// writer at once. With only a lower nice value, a writer in the middle of classifying and
/// inserting a batch kept its time slice, and one request in a hundred waited ~3 ms for it
/// (scripts/bench-proxy, 1 KiB at concurrency 1: p99 3.5 ms, 0.3–0.5 ms in the background).
/// A background thread can starve on a machine busy with other work, so the writer returns to
/// normal scheduling (nice +10) when it falls behind or is stopping, and goes back once caught up.
struct WriterPriority {
    enum Level { case background, normal }

    /// Pending events at which the writer stops yielding, and below which it yields again.
    let fallingBehind: Int
    let caughtUp: Int
    private(set) var level: Level?

    init(batchSize: Int) {
        fallingBehind = 4 * batchSize
        caughtUp = batchSize
    }

    /// Chooses the level for `pending` events; returns it when it changed (to be applied by the
    /// writer thread with `apply(_:)`), nil when it stays.
    mutating func adjust(pending: Int, stopping: Bool) -> Level? {
        let wanted: Level
        if stopping || pending >= fallingBehind {
            wanted = .normal
        } else if level == .normal, pending >= caughtUp {
            wanted = .normal
        } else {
            wanted = .background
        }
        guard wanted != level else { return nil }
        level = wanted
        return wanted
    }

    /// Best effort: a refusal leaves the thread as it was. On Linux the policy and nice value
    /// belong to the calling thread (sched_setscheduler(2) and setpriority(2) with 0 as id).
    static func apply(_ level: Level) {
        #if os(Linux)
            let schedIdle: Int32 = 5  // SCHED_IDLE, behind _GNU_SOURCE in <sched.h>
            var parameters = sched_param(sched_priority: 0)
            switch level {
            case .background:
                _ = sched_setscheduler(0, schedIdle, &parameters)
            case .normal:
                _ = sched_setscheduler(0, SCHED_OTHER, &parameters)
                _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, 10)
            }
        #endif
    }
}
