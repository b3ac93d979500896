import CrumbsIngest
import CrumbsModel
import CrumbsStore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Passes event batches through the ingest stage (order, classify, reduce) and writes them to
/// the store at `path`, on the recorder's thread.
///
/// Each event is classified exactly once, even when a write fails and the recorder offers the
/// same events again: attribution keeps per-client state, so classifying twice would skew it.
/// If the database file is removed while Crumbs runs, a new one is started at the same path.
/// (SQLite would otherwise go on writing into the deleted file, and every later event would
/// vanish with it at exit.)
public final class StoreWriter: Sendable {
    private struct State {
        var store: EventStore
        /// A batch whose write failed: what the recorder offered, and what the stage made of it,
        /// to be written as is on the retry.
        var offered: [RequestEvent] = []
        var unwritten: [RequestEvent] = []
    }

    private let path: String
    private let stage: IngestStage
    private let state: NIOLockedValueBox<State>
    private let logger: Logger
    /// Runs before a new database replaces a removed one: puts back what lived beside it.
    private let beforeNewDatabase: @Sendable () throws -> Void
    /// Gets each batch once written, as stored (the dashboard's live feed).
    private let written: @Sendable ([RequestEvent]) -> Void

    public init(
        path: String, stage: IngestStage, logger: Logger,
        beforeNewDatabase: @escaping @Sendable () throws -> Void = {},
        written: @escaping @Sendable ([RequestEvent]) -> Void = { _ in }
    ) throws {
        self.path = path
        self.stage = stage
        self.state = NIOLockedValueBox(State(store: try EventStore(path: path)))
        self.logger = logger
        self.beforeNewDatabase = beforeNewDatabase
        self.written = written
    }

    /// The store being written: readers in this process (the digest scheduler) use it, so that
    /// one connection pool serves the file. (A new one after the file was removed.)
    public var store: EventStore { state.withLockedValue { $0.store } }

    /// Called on the recorder's thread only.
    public func write(_ events: [RequestEvent]) throws {
        try state.withLockedValue { state in
            let batch = processOnce(events, state: state)
            do {
                try append(batch, to: &state.store)
                state.offered = []
                state.unwritten = []
                written(batch)
            } catch {
                state.offered = events
                state.unwritten = batch
                throw error
            }
        }
    }

    /// Reuses what the stage made of a batch offered before (the recorder retries the oldest
    /// events first, in order) when the same events come first again, and processes only the
    /// new ones. (If the queue dropped some of them meanwhile, everything is processed again.)
    private func processOnce(_ events: [RequestEvent], state: State) -> [RequestEvent] {
        guard !state.offered.isEmpty, events.count >= state.offered.count,
            events.prefix(state.offered.count).elementsEqual(state.offered)
        else { return stage.process(events) }
        return state.unwritten + stage.process(Array(events.dropFirst(state.offered.count)))
    }

    private func append(_ events: [RequestEvent], to store: inout EventStore) throws {
        if !FileManager.default.fileExists(atPath: path) {
            logger.warning("database file was removed; starting a new one", metadata: ["store.path": "\(path)"])
            // Stale WAL and shared-memory files belong to the removed database: a new
            // database must not replay them.
            for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            try beforeNewDatabase()
            store = try EventStore(path: path)
        }
        try store.append(events)
    }
}
