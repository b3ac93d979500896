import CrumbsModel
import Foundation
import Logging
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// The one boundary between the proxy's event loop and storage: `record(_:)` queues an event in
/// O(1) and returns; a dedicated thread writes queued events in batches.
///
/// The writer thread wakes every `flushInterval`, or as soon as `batchSize` events wait, and
/// calls `write` with at most `batchSize` events. When `write` throws (disk full, file removed),
/// the batch goes back to the queue and is retried every `retryInterval`; one error is logged
/// when the failure starts and one notice when it ends. While writes fail the queue keeps at most
/// `capacity` events and `capacityBytes` of memory, dropping the oldest, plus the one batch being
/// written. Once the queue has drained after a failure, its storage is given back and
/// `releaseMemory` runs (the CLI returns freed heap to the system with `malloc_trim`).
///
/// The thread holds the recorder until `shutdown(timeout:)`, which must be called.
public final class EventRecorder: EventSink, @unchecked Sendable {
    // @unchecked: every mutable field below is read and written only while `condition` is locked.
    private let condition = NSCondition()
    /// Wakes the writer. A semaphore rather than `condition`: the writer sleeps on it outside the
    /// lock (and in the background), so a writer that has just woken never holds the lock that
    /// `record()` needs, and a signal given before the writer sleeps is not lost.
    private let doorbell = DispatchSemaphore(value: 0)
    private var buffer: EventBuffer
    /// Sequence number of the first event of the batch being written, if a write is under way.
    private var inFlight: (first: UInt64, count: Int)?
    private var written = 0
    private var dropped = 0
    private var refusedAfterShutdown = 0
    private var flushWaiters = 0
    private var stopDeadline: Date?
    private var finished = false
    /// The writer thread (0 until it runs), for pulling it out of the background. Atomic, as
    /// `record()` reads it before it has the lock.
    private let writerThread = Atomic<UInt>(0)
    /// Set while the writer thread holds `condition`'s lock.
    private let writerHoldsLock = Atomic<Bool>(false)

    private let write: @Sendable ([RequestEvent]) throws -> Void
    private let flushInterval: TimeInterval
    private let retryInterval: TimeInterval
    private let batchSize: Int
    private let logger: Logger
    private let releaseMemory: @Sendable () -> Void

    public init(
        write: @escaping @Sendable ([RequestEvent]) throws -> Void,
        flushInterval: Duration = .milliseconds(100),
        batchSize: Int = 1000,
        capacity: Int = 200_000,
        capacityBytes: Int = 64 << 20,
        retryInterval: Duration = .seconds(1),
        logger: Logger,
        releaseMemory: @escaping @Sendable () -> Void = {}
    ) {
        self.write = write
        self.flushInterval = flushInterval.timeInterval
        self.retryInterval = retryInterval.timeInterval
        self.batchSize = max(1, batchSize)
        self.buffer = EventBuffer(capacity: capacity, byteBudget: capacityBytes)
        self.logger = logger
        self.releaseMemory = releaseMemory
        let thread = Thread { [self] in run() }
        thread.name = "crumbs.recorder"
        thread.start()
    }

    /// Queues `event` for writing. Never blocks on I/O and never throws: safe on an event loop.
    /// After `shutdown`, events are dropped (and counted).
    public func record(_ event: RequestEvent) {
        // The writer may hold the lock in the background and have been preempted there: bring
        // it forward so that it gets the CPU and lets go (priority inheritance by hand).
        if writerHoldsLock.load(ordering: .relaxed) { wakeWriter() }
        condition.lock()
        defer { condition.unlock() }
        guard stopDeadline == nil else {
            refusedAfterShutdown += 1
            return
        }
        dropped += buffer.append(event)
        // Wake the writer only on the transitions it sleeps on (first event, a full batch), so
        // that a busy event loop does not signal once per event.
        if buffer.count == 1 || buffer.count == batchSize { doorbell.signal() }
        // A writer starved in the background while the queue grows: bring it forward (once,
        // when the queue passes the mark).
        if buffer.count == WriterPriority.fallingBehind(batchSize: batchSize) { wakeWriter() }
    }

    /// Events recorded but not yet written, including a batch being written.
    public var pendingCount: Int {
        locked { buffer.count + (inFlight?.count ?? 0) }
    }

    /// Events dropped because the queue was full while writes failed.
    public var droppedCount: Int { locked { dropped } }

    /// Events that arrived after `shutdown` began, and were not recorded.
    public var refusedAfterShutdownCount: Int { locked { refusedAfterShutdown } }

    /// Events written successfully.
    public var writtenCount: Int { locked { written } }

    /// Approximate memory held by the events waiting in the queue.
    public var pendingBytes: Int { locked { buffer.bytes } }

    /// Slots the queue's ring holds (its storage even when empty).
    var reservedSlots: Int { locked { buffer.reservedSlots } }

    /// Waits until every event recorded before the call has been written (or dropped): true, or
    /// false if `timeout` passed first. A failing write is still retried only every retryInterval.
    @discardableResult
    public func flush(timeout: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout.timeInterval)
        condition.lock()
        defer { condition.unlock() }
        let target = buffer.nextSequence
        flushWaiters += 1
        defer { flushWaiters -= 1 }
        doorbell.signal()
        return waitForWriter(until: deadline) { oldestUnwritten >= target }
    }

    /// Stops accepting events, writes what is queued, and stops the thread: true if everything
    /// was written before `timeout`. Later calls only wait for the thread to end.
    @discardableResult
    public func shutdown(timeout: Duration) -> Bool {
        let deadline = Date(timeIntervalSinceNow: timeout.timeInterval)
        condition.lock()
        defer { condition.unlock() }
        if stopDeadline == nil { stopDeadline = deadline }
        doorbell.signal()
        waitForWriter(until: deadline) { finished }
        return finished && buffer.isEmpty && inFlight == nil
    }

    /// Waits, with the lock held, until `done` or `deadline`; returns `done`. The writer is
    /// pulled out of the background every 100 ms, as it may have been about to enter it again.
    @discardableResult
    private func waitForWriter(until deadline: Date, _ done: () -> Bool) -> Bool {
        while !done() {
            wakeWriter()
            if !condition.wait(until: min(deadline, Date(timeIntervalSinceNow: 0.1))), Date() >= deadline {
                return done()
            }
        }
        return true
    }

    /// The sequence number of the oldest event neither written nor dropped.
    private var oldestUnwritten: UInt64 {
        inFlight?.first ?? buffer.oldestSequence ?? buffer.nextSequence
    }

    /// Pulls the writer out of the background while someone waits for it or for its lock.
    private func wakeWriter() {
        let thread = writerThread.load(ordering: .acquiring)
        if thread != 0 { WriterPriority.foreground(pthread_t(thread)) }
    }

    private func lockAsWriter() {
        condition.lock()
        writerHoldsLock.store(true, ordering: .relaxed)
    }

    private func unlockAsWriter() {
        writerHoldsLock.store(false, ordering: .relaxed)
        condition.unlock()
    }

    private func writerLocked<T>(_ body: () -> T) -> T {
        lockAsWriter()
        defer { unlockAsWriter() }
        return body()
    }

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    // MARK: - Writer thread

    private func run() {
        WriterPriority.lowerNice()
        writerThread.store(UInt(pthread_self()), ordering: .releasing)
        var priority = WriterPriority(batchSize: batchSize)
        var failure: FailureEpisode?
        var drops = DropReport()
        // Drops since the last successful write belong to the failure that follows it.
        var droppedAtLastSuccess = 0
        // Set when writes recover from a failure: the queue grew, and its memory goes back once
        // it has drained.
        var recovering = false
        var nextWrite = Date()
        while var batch = nextBatch(after: nextWrite, failing: failure != nil) {
            let count = batch.events.count
            // Markers (`tunnelOpened`) pass through to the stage but are not events written.
            let stored = batch.events.reduce(0) { $0 + ($1.isStored ? 1 : 0) }
            let (backlog, urgent) = writerLocked {
                (buffer.count + count, stopDeadline != nil || flushWaiters > 0)
            }
            // The write runs unlocked, so record() never waits for the disk (nor for a writer
            // in the background).
            // Applied every time (others may have brought the writer forward meanwhile), and kept
            // while the writer sleeps afterwards.
            WriterPriority.background(priority.mayYield(batch: count, pending: backlog, stopping: urgent))
            var writeError: (any Error)?
            do { try write(batch.events) } catch { writeError = error }
            // A written batch is released here, before the lock below is taken and while still in
            // the background: a thousand events take a while to free, and record() must not wait
            // for that. A failed one goes back into the buffer below.
            if writeError == nil { batch.events = [] }
            if writeError == nil, let episode = failure {
                // Logged before the batch counts as written, so that a flush() that returns
                // true has its recovery notice in the log already.
                episode.recovered(written: count, dropped: droppedCount, logger: logger)
                failure = nil
                recovering = true
            }

            lockAsWriter()
            inFlight = nil
            guard let writeError else {
                written += stored
                condition.broadcast()  // wake flush() waiters
                let droppedNow = dropped
                let drained = recovering && buffer.isEmpty
                if drained { buffer.releaseStorage() }
                unlockAsWriter()
                if drained {
                    recovering = false
                    releaseMemory()
                }
                droppedAtLastSuccess = droppedNow
                nextWrite = Date(timeIntervalSinceNow: flushInterval)
                drops.update(total: droppedNow, logger: logger)
                continue
            }
            let newlyDropped = buffer.putBack(batch)
            dropped += newlyDropped
            if newlyDropped > 0 { condition.broadcast() }  // flush() may be satisfied now
            let (pending, droppedNow) = (buffer.count, dropped)
            unlockAsWriter()
            nextWrite = Date(timeIntervalSinceNow: retryInterval)
            if failure == nil {
                failure = FailureEpisode(
                    error: writeError, pending: pending, droppedBefore: droppedAtLastSuccess,
                    logger: logger)
            }
            drops.update(total: droppedNow, logger: logger)
        }
    }

    /// Sleeps until a write is due and takes the next batch, or returns nil when the thread should
    /// end: stopping and nothing left, or the shutdown deadline passed.
    ///
    /// A write is due when `nextWrite` has come, or — unless the last write failed, when only the
    /// retry time counts — when a full batch waits, someone flushes, or the recorder stops.
    private func nextBatch(after nextWrite: Date, failing: Bool)
        -> EventBuffer.Batch?
    {
        while true {
            let wake: Date?
            do {
                lockAsWriter()
                defer { unlockAsWriter() }
                let now = Date()
                if let stopDeadline, buffer.isEmpty || now >= stopDeadline {
                    finished = true
                    condition.broadcast()
                    return nil
                }
                let urgent = buffer.count >= batchSize || flushWaiters > 0 || stopDeadline != nil
                if !buffer.isEmpty, now >= nextWrite || (urgent && !failing) {
                    let batch = buffer.take(maximum: batchSize)!
                    inFlight = (batch.first, batch.events.count)
                    return batch
                }
                // An empty queue sleeps until record() rings; the first event is then written at
                // once if the interval has passed, and later ones gather until the next interval.
                wake = [buffer.isEmpty ? nil : nextWrite, stopDeadline].compactMap { $0 }.min()
            }
            if let wake {
                _ = doorbell.wait(timeout: .now() + max(0, wake.timeIntervalSinceNow))
            } else {
                doorbell.wait()
            }
        }
    }
}

/// One stretch of failing writes, so that it is logged once when it starts and once when it
/// ends — not once per retry.
private struct FailureEpisode {
    private let droppedAtStart: Int

    init(error: any Error, pending: Int, droppedBefore: Int, logger: Logger) {
        droppedAtStart = droppedBefore
        logger.error(
            "cannot store events; keeping them in memory and retrying",
            metadata: ["store.error": "\(error)", "store.pending": "\(pending)"])
    }

    func recovered(written: Int, dropped: Int, logger: Logger) {
        logger.notice(
            "storage recovered, \(written) events written",
            metadata: ["store.written": "\(written)", "store.dropped": "\(dropped - droppedAtStart)"])
    }
}

/// Drops are counted by record(), which must not log; the writer thread reports them after each
/// write attempt: one warning when a stretch of drops starts, one notice with its total when a
/// write attempt finds no new drops.
private struct DropReport {
    private var reported = 0
    private var lastSeen = 0

    mutating func update(total: Int, logger: Logger) {
        defer { lastSeen = total }
        if total > lastSeen, lastSeen == reported {
            logger.warning(
                "event queue full; dropping the oldest events",
                metadata: ["store.dropped": "\(total - reported)"])
        } else if total == lastSeen, total > reported {
            logger.notice(
                "event queue no longer dropping events",
                metadata: ["store.dropped": "\(total - reported)"])
            reported = total
        }
    }
}

extension Duration {
    fileprivate var timeInterval: TimeInterval {
        let (seconds, attoseconds) = components
        return TimeInterval(seconds) + TimeInterval(attoseconds) * 1e-18
    }
}
