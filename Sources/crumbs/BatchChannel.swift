import Foundation

/// A bounded hand-over between two threads: the producer waits when `capacity` batches are
/// waiting, the consumer when none is. Used by `crumbs import` to read and build events on one
/// core while the other classifies and stores them.
final class BatchChannel<Batch>: @unchecked Sendable {
    private let condition = NSCondition()
    private var queue: [Batch] = []
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Waits for room, then hands `batch` over; throws `CancellationError` once the consumer gave up.
    func put(_ batch: Batch) throws {
        condition.lock()
        defer { condition.unlock() }
        while queue.count >= capacity && !cancelled { condition.wait() }
        if cancelled { throw CancellationError() }
        queue.append(batch)
        condition.broadcast()
    }

    /// The producer is done, with `error` if it failed.
    func finish(error: (any Error)? = nil) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The consumer gives up (its own error): the producer's next `put` throws.
    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        condition.unlock()
    }

    /// The next batch; nil once the producer finished and everything was taken. Rethrows the
    /// producer's error.
    func take() throws -> Batch? {
        condition.lock()
        defer { condition.unlock() }
        while queue.isEmpty && !finished { condition.wait() }
        if !queue.isEmpty {
            condition.broadcast()
            return queue.removeFirst()
        }
        if let failure { throw failure }
        return nil
    }
}

/// Work run on a thread of its own; `wait()` returns what it returned or throws what it threw.
final class ReaderThread<Result>: @unchecked Sendable {
    private let work: () throws -> Result
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Swift.Result<Result, any Error>?

    init(_ work: @escaping () throws -> Result) {
        self.work = work
    }

    func start() {
        Thread {
            self.outcome = Swift.Result { try self.work() }
            self.done.signal()
        }.start()
    }

    /// Waits for the work to end (once; later calls return at once).
    func wait() throws -> Result {
        done.wait()
        done.signal()
        return try outcome!.get()
    }
}
