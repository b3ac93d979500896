import CrumbsLists
import CrumbsModel
import CrumbsStore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Classifies event batches and writes them to the store at `path`, on the recorder's thread.
///
/// Each event is classified exactly once, even when a write fails and the recorder offers the
/// same events again: attribution keeps per-client state, so classifying twice would skew it.
/// If the database file is removed while Crumbs runs, a new one is started at the same path.
/// (SQLite would otherwise go on writing into the deleted file, and every later event would
/// vanish with it at exit.)
final class StoreWriter: Sendable {
    private struct State {
        var store: EventStore
        /// A classified batch whose write failed, to be written as is on the retry.
        var unwritten: [RequestEvent] = []
    }

    private let path: String
    private let classifier: EventClassifier
    private let state: NIOLockedValueBox<State>
    private let logger: Logger
    /// Runs before a new database replaces a removed one: puts back what lived beside it.
    private let beforeNewDatabase: @Sendable () throws -> Void

    init(
        path: String, classifier: EventClassifier, logger: Logger,
        beforeNewDatabase: @escaping @Sendable () throws -> Void = {}
    ) throws {
        self.path = path
        self.classifier = classifier
        self.state = NIOLockedValueBox(State(store: try EventStore(path: path)))
        self.logger = logger
        self.beforeNewDatabase = beforeNewDatabase
    }

    /// Called on the recorder's thread only.
    func write(_ events: [RequestEvent]) throws {
        try state.withLockedValue { state in
            let batch = classifyOnce(events, unwritten: state.unwritten)
            do {
                try append(batch, to: &state.store)
                state.unwritten = []
            } catch {
                state.unwritten = batch
                throw error
            }
        }
    }

    /// Reuses the classification of the events that were offered before (the recorder retries
    /// the oldest events first, in order), and classifies only the new ones.
    private func classifyOnce(_ events: [RequestEvent], unwritten: [RequestEvent]) -> [RequestEvent] {
        // The usual case, without the slicing and joining below (each copies a thousand events).
        if unwritten.isEmpty { return classifier.classify(events) }
        let reused = zip(unwritten, events).prefix { classified, fresh in
            var stripped = classified
            stripped.classification = nil
            return stripped == fresh
        }.count
        return Array(unwritten.prefix(reused)) + classifier.classify(Array(events.dropFirst(reused)))
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
