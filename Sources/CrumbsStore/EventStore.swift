import CrumbsModel
import Foundation
import GRDB

/// The event database: appends batches of `RequestEvent`s with their cookies and reads them back.
///
/// A file store uses one GRDB `DatabasePool` (WAL mode: readers never block the writer); tests use
/// `inMemory()`. GRDB stays an implementation detail: no GRDB type appears in this API, and every
/// failure surfaces as a `StoreError` naming the path.
public final class EventStore: Sendable {
    /// The database file, or ":memory:".
    public let path: String
    let writer: any DatabaseWriter
    /// Ids of names already interned (see NameTable.swift).
    let names = NameCaches()

    /// Opens (or creates) the database at `path`, creating its parent directory if needed, and
    /// brings the schema up to date.
    public convenience init(path: String) throws {
        let url = URL(fileURLWithPath: path)
        let writer: DatabasePool
        do {
            try Self.prepareFile(at: url)
            var configuration = Configuration()
            configuration.label = "crumbs.store"
            // A busy handler rather than an immediate error, in case another process (a report
            // run by the CLI) holds the write lock for a moment.
            configuration.busyMode = .timeout(5)
            configuration.prepareDatabase { db in
                guard !db.configuration.readonly else { return }  // the pool's readers
                // In WAL mode NORMAL is still safe against corruption and application crashes; it
                // only risks the last transactions on power loss, and saves an fsync per batch.
                try db.execute(sql: "PRAGMA synchronous = NORMAL")
                // Each batch touches index pages all over the host index: a 16 MiB cache keeps the
                // hot ones in memory, and checkpointing every 32 MiB of WAL instead of every 4 MiB
                // copies (and fsyncs) them far less often. (A 64 MiB cache measured ~40% more
                // events/s than the defaults, but a long-running proxy then sat at ~110 MiB RSS;
                // with 16 MiB, measured 44,000 events/s without cookies and 25,000 with three on a
                // busy 2-core machine: still well above the ~13,000 requests/s the proxy serves.)
                try db.execute(sql: "PRAGMA cache_size = -16384")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = 8192")
                // ...and the WAL file shrinks back to 64 MiB after a checkpoint.
                try db.execute(sql: "PRAGMA journal_size_limit = 67108864")
            }
            writer = try DatabasePool(path: url.path, configuration: configuration)
        } catch {
            throw StoreError(.open, path: path, underlying: error)
        }
        try self.init(writer: writer, path: path)
    }

    /// An empty store in memory, for tests and dry runs.
    public static func inMemory() throws -> EventStore {
        do {
            return try EventStore(writer: DatabaseQueue(), path: ":memory:")
        } catch {
            throw StoreError(.open, path: ":memory:", underlying: error)
        }
    }

    private init(writer: any DatabaseWriter, path: String) throws {
        self.writer = writer
        self.path = path
        do {
            // One migration at a time, each followed by a checkpoint that empties the write-ahead
            // log: a migration rewrites tables (v8 rebuilds the two largest), and their pages
            // would otherwise pile up in the log (a new store's eight migrations alone made more
            // than 400 KiB of log before the first event).
            let applied = try writer.read { db in try Self.migrator.appliedIdentifiers(db) }
            for identifier in Self.migrator.migrations where !applied.contains(identifier) {
                try Self.migrator.migrate(writer, upTo: identifier)
                if path != ":memory:" {
                    try writer.writeWithoutTransaction { db in
                        _ = try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                    }
                }
            }
        } catch {
            throw StoreError(.migrate, path: path, underlying: error)
        }
    }

    /// Creates the parent directory and an empty database file readable by its owner only:
    /// the file records which sites the user visited. SQLite gives the -wal and -shm files the
    /// same mode as the database file.
    private static func prepareFile(at url: URL) throws {
        let fileManager = FileManager.default
        let directory = url.deletingLastPathComponent().path
        var isDirectory: ObjCBool = false
        if !fileManager.fileExists(atPath: directory, isDirectory: &isDirectory) {
            try fileManager.createDirectory(
                atPath: directory, withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700])
        } else if !isDirectory.boolValue {
            throw StoreError(.open, path: url.path, reason: "\(directory) is not a directory")
        }
        if !fileManager.fileExists(atPath: url.path) {
            guard
                fileManager.createFile(
                    atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
            else {
                throw StoreError(.open, path: url.path, reason: String(cString: strerror(errno)))
            }
        }
    }

    /// Appends `events` with their cookies in one transaction: either the whole batch is stored
    /// or none of it is, so a failed batch can be retried as is.
    public func append(_ events: [RequestEvent]) throws {
        guard !events.isEmpty else { return }
        do {
            let interned = try writer.write { db in
                var inserter = try EventInserter(db, names: names)
                try inserter.insert(events, importID: nil)
                return inserter.interned
            }
            names.merge(interned)
        } catch {
            throw StoreError(.write, path: path, underlying: error)
        }
    }

    /// Events with `since <= time < until`, oldest first (ties in recording order), with their
    /// cookies; at most `limit` of them.
    public func events(since: Date? = nil, until: Date? = nil, limit: Int? = nil) throws
        -> [RequestEvent]
    {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let since {
            conditions.append("time >= ?")
            arguments += [StoredCode.milliseconds(since)]
        }
        if let until {
            conditions.append("time < ?")
            arguments += [StoredCode.milliseconds(until)]
        }
        var filter = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        filter += " ORDER BY time, id"
        if let limit {
            filter += " LIMIT ?"
            arguments += [max(0, limit)]
        }
        return try load(filter, arguments)
    }

    /// Events selected by `filter` (the SQL after `FROM event`: WHERE, ORDER BY, LIMIT) with
    /// their cookies, URL tokens and classification.
    func load(_ filter: String, _ arguments: StatementArguments) throws -> [RequestEvent] {
        // The cookie queries reuse the same filter as a subquery, so that they fetch exactly the
        // cookies of the selected events, whatever their number.
        let selected = "event_id IN (SELECT id FROM event \(filter))"
        do {
            // One read transaction: events and cookies come from the same snapshot.
            return try writer.read { db in
                let sent = try Self.group(
                    Row.fetchCursor(
                        db,
                        sql: "SELECT \(SentCookieRecord.columns) FROM cookie_sent "
                            + "WHERE \(selected) ORDER BY event_id, position",
                        arguments: arguments),
                    SentCookieRecord.init(row:), id: \.eventID, value: \.cookie)
                let set = try Self.group(
                    Row.fetchCursor(
                        db,
                        sql: "SELECT \(SetCookieRecord.columns) FROM cookie_set "
                            + "WHERE \(selected) ORDER BY event_id, position",
                        arguments: arguments),
                    SetCookieRecord.init(row:), id: \.eventID, value: \.cookie)
                let tokens = try Self.group(
                    Row.fetchCursor(
                        db,
                        sql: "SELECT \(URLTokenRecord.columns) FROM url_token "
                            + "WHERE \(selected) ORDER BY event_id, position",
                        arguments: arguments),
                    URLTokenRecord.init(row:), id: \.eventID, value: \.token)
                let classifications = try Self.group(
                    Row.fetchCursor(
                        db,
                        sql: "SELECT \(ClassificationRecord.columns) FROM classification WHERE \(selected)",
                        arguments: arguments),
                    ClassificationRecord.init(row:), id: \.eventID, value: \.classification)
                var events: [RequestEvent] = []
                let rows = try Row.fetchCursor(
                    db, sql: "SELECT \(EventRecord.columns) FROM event \(filter)",
                    arguments: arguments)
                while let row = try rows.next() {
                    let record = try EventRecord(row: row)
                    var event = record.event
                    event.cookiesSent = sent[record.id] ?? []
                    event.cookiesSet = set[record.id] ?? []
                    event.urlTokens = tokens[record.id] ?? []
                    event.classification = classifications[record.id]?.first
                    events.append(event)
                }
                return events
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// SQLite's `PRAGMA integrity_check`: `["ok"]` for a sound database, else the problems found.
    public func integrityCheck() throws -> [String] {
        do {
            return try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// The number of stored events.
    public func eventCount() throws -> Int {
        do {
            return try writer.read { db in
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") ?? 0
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// Caps the database at `pages` pages (or its current size, if larger), so that tests can
    /// provoke SQLite's "database or disk is full" without filling a disk.
    func limitSize(toPages pages: Int) throws {
        try writer.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
    }

    private static func group<Record, Value>(
        _ rows: RowCursor, _ decode: (Row) throws -> Record,
        id: KeyPath<Record, Int64>, value: KeyPath<Record, Value>
    ) throws -> [Int64: [Value]] {
        var grouped: [Int64: [Value]] = [:]
        while let row = try rows.next() {
            let record = try decode(row)
            grouped[record[keyPath: id], default: []].append(record[keyPath: value])
        }
        return grouped
    }
}
