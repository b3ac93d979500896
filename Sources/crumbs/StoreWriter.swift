import CrumbsModel
import CrumbsStore
import Foundation
import Logging
import NIOConcurrencyHelpers

/// Writes event batches to the store at `path`, and starts a new database there if the file was
/// removed while Crumbs runs. (SQLite would otherwise go on writing into the deleted file, and
/// every later event would vanish with it at exit.)
final class StoreWriter: Sendable {
    private let path: String
    private let store: NIOLockedValueBox<EventStore>
    private let logger: Logger

    init(path: String, logger: Logger) throws {
        self.path = path
        self.store = NIOLockedValueBox(try EventStore(path: path))
        self.logger = logger
    }

    /// Called on the recorder's thread only.
    func write(_ events: [RequestEvent]) throws {
        try store.withLockedValue { store in
            if !FileManager.default.fileExists(atPath: path) {
                logger.warning("database file was removed; starting a new one", metadata: ["store.path": "\(path)"])
                // Stale WAL and shared-memory files belong to the removed database: a new
                // database must not replay them.
                for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
                store = try EventStore(path: path)
            }
            try store.append(events)
        }
    }
}
