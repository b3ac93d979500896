import CrumbsModel
import Synchronization

/// The last requests written, for the live page: the recorder hands each written batch to
/// `publish` (its own thread, once per batch), and every open page polls `since(_:)` a couple of
/// times a second. Publishing costs a lock and a small copy per event whatever the number of
/// pages open; a page gets at most `pageLimit` requests per poll, so a burst of traffic costs it
/// one bounded message, not one per request.
public final class LiveFeed: Sendable {
    private struct State {
        var requests: [LiveRequest] = []
        var last: UInt64 = 0
        var finished = false
        var subscribers = 0
    }

    /// How many requests are kept (the page's first screen and a reconnect's catch-up).
    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int = 500) {
        self.capacity = max(1, capacity)
    }

    /// Called by the recorder's thread with events as they were written.
    public func publish(_ events: [RequestEvent]) {
        state.withLock { state in
            guard !state.finished else { return }
            for event in events where event.isStored {
                state.last += 1
                state.requests.append(LiveRequest(sequence: state.last, event: event))
            }
            // Trimmed in chunks: one move per `capacity` requests rather than one per request.
            if state.requests.count >= 2 * capacity { state.requests.removeFirst(state.requests.count - capacity) }
        }
    }

    /// What came after `sequence` and passes `filter`: the newest `limit` of them, how many
    /// older matching ones were left out, and the sequence to ask from next time.
    public func since(_ sequence: UInt64, matching filter: LiveFilter, limit: Int) -> LiveBatch {
        state.withLock { state in
            var kept: [LiveRequest] = []
            var skipped = 0
            for request in state.requests.reversed() {
                if request.sequence <= sequence { break }
                guard filter.keeps(request) else { continue }
                if kept.count < limit { kept.append(request) } else { skipped += 1 }
            }
            return LiveBatch(requests: kept.reversed(), skipped: skipped, last: state.last, finished: state.finished)
        }
    }

    /// The newest `limit` requests that pass `filter`, oldest first (the page's first screen).
    public func latest(matching filter: LiveFilter, limit: Int) -> LiveBatch {
        since(0, matching: filter, limit: limit)
    }

    /// Streams open now.
    public var streams: Int { state.withLock { $0.subscribers } }

    /// Takes a place for one more open stream, or refuses when `limit` are open already.
    func subscribe(limit: Int) -> Bool {
        state.withLock { state in
            guard state.subscribers < limit else { return false }
            state.subscribers += 1
            return true
        }
    }

    func unsubscribe() {
        state.withLock { $0.subscribers -= 1 }
    }

    /// Ends every stream (at shutdown: an open page must not hold the server up).
    public func finish() {
        state.withLock { $0.finished = true }
    }
}

/// A poll's answer.
public struct LiveBatch: Sendable, Equatable {
    public var requests: [LiveRequest]
    /// Matching requests older than those returned, left out to keep the message bounded.
    public var skipped: Int
    public var last: UInt64
    public var finished: Bool
}
