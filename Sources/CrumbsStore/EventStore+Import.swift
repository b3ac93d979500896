import CrumbsModel
import Foundation
import GRDB

/// A recording imported into the store (a row of `import`).
public struct ImportRecord: Sendable, Equatable {
    /// Set by the store.
    public var id: Int64 = 0
    public var fileName: String
    /// Hex SHA-256 of the file as given (compressed or not).
    public var sha256: String
    /// Bytes of the file as given.
    public var size: Int
    /// "har" (and later "pcap", "pcapng").
    public var format: String
    public var exporter: String?
    public var exporterVersion: String?
    public var browser: String?
    /// The client the events carry (`--device`, else the format's name).
    public var device: String
    public var importedAt: Date
    public var entries = 0
    public var events = 0
    public var skipped = 0
    public var pages = 0

    public init(
        fileName: String, sha256: String, size: Int, format: String, exporter: String? = nil,
        exporterVersion: String? = nil,
        browser: String? = nil, device: String, importedAt: Date
    ) {
        self.fileName = fileName
        self.sha256 = sha256
        self.size = size
        self.format = format
        self.exporter = exporter
        self.exporterVersion = exporterVersion
        self.browser = browser
        self.device = device
        self.importedAt = importedAt
    }
}

/// Appends one imported file's events inside the import's transaction.
public final class ImportAppender {
    private var inserter: EventInserter
    private let importID: Int64
    private let db: Database

    fileprivate init(_ db: Database, importID: Int64, names: NameCaches) throws {
        inserter = try EventInserter(db, names: names)
        self.importID = importID
        self.db = db
    }

    /// Another import of the file with this SHA-256, seen from inside the transaction.
    public func otherImport(sha256: String) throws -> ImportRecord? {
        try Row.fetchOne(
            db, sql: "SELECT \(EventStore.importColumns) FROM import WHERE sha256 = ? AND id <> ?",
            arguments: [sha256, importID]
        ).map(EventStore.importRecord(row:))
    }

    fileprivate var interned: (names: InternedNames, parties: InternedNames) { inserter.interned }

    /// Inserts classified events, tied to the import.
    public func append(_ events: [RequestEvent]) throws {
        try inserter.insert(events, importID: importID)
    }
}

extension EventStore {
    static let importColumns = """
        id, file_name, sha256, size, format, exporter, exporter_version, browser, device, imported_at, \
        entries, events, skipped, pages
        """

    /// Imports one file in one transaction: `body` appends its events and returns the final
    /// record (with counts); if it throws, nothing of the file stays in the store.
    public func recordImport(
        _ record: ImportRecord, body: (ImportAppender) throws -> ImportRecord
    ) throws -> ImportRecord {
        do {
            var appender: ImportAppender?
            let result = try writer.write { db in
                // One transaction for the whole file: with the proxy's 16 MiB page cache, index
                // pages spill to the WAL and are read back many times over. 64 MiB for the
                // import's duration (the memory goes back when it ends).
                try db.execute(sql: "PRAGMA cache_size = -65536")
                defer { try? db.execute(sql: "PRAGMA cache_size = -16384") }
                try db.execute(
                    sql: """
                        INSERT INTO import (file_name, sha256, size, format, exporter, exporter_version, browser, device, \
                        imported_at, entries, events, skipped, pages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0)
                        """,
                    arguments: [
                        record.fileName, record.sha256, record.size, record.format, record.exporter,
                        record.exporterVersion,
                        record.browser, record.device, record.importedAt.timeIntervalSince1970,
                    ])
                let id = db.lastInsertedRowID
                let opened = try ImportAppender(db, importID: id, names: names)
                appender = opened
                var final = try body(opened)
                final.id = id
                try db.execute(
                    sql: """
                        UPDATE import SET sha256 = ?, size = ?, exporter = ?, exporter_version = ?, browser = ?, entries = ?, events = ?, \
                        skipped = ?, pages = ? WHERE id = ?
                        """,
                    arguments: [
                        final.sha256, final.size, final.exporter, final.exporterVersion, final.browser, final.entries,
                        final.events,
                        final.skipped, final.pages, id,
                    ])
                return final
            }
            if let appender { names.merge(appender.interned) }
            return result
        } catch let error as StoreError {
            throw error
        } catch let error as DatabaseError where error.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE {
            throw StoreError(.write, path: path, reason: "this file (sha256 \(record.sha256)) is already imported")
        } catch let error as DatabaseError {
            throw StoreError(.write, path: path, underlying: error)
        }
    }

    /// The import of the file with this SHA-256, if it was imported.
    public func importRecord(sha256: String) throws -> ImportRecord? {
        try imports(where: "sha256 = ?", [sha256]).first
    }

    /// Whether a file of exactly this size was imported (only then is a file hashed before its
    /// import: otherwise its hash is computed while it is read, at no extra pass).
    public func hasImport(ofSize size: Int) throws -> Bool {
        try !imports(where: "size = ?", [size]).isEmpty
    }

    /// Every import, oldest first.
    public func imports() throws -> [ImportRecord] {
        try imports(where: "1", [])
    }

    private func imports(where condition: String, _ arguments: StatementArguments) throws -> [ImportRecord] {
        do {
            return try writer.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT \(Self.importColumns) FROM import WHERE \(condition) ORDER BY id",
                    arguments: arguments
                ).map(Self.importRecord(row:))
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    static func importRecord(row: Row) -> ImportRecord {
        var record = ImportRecord(
            fileName: row["file_name"], sha256: row["sha256"], size: row["size"], format: row["format"],
            exporter: row["exporter"], exporterVersion: row["exporter_version"], browser: row["browser"],
            device: row["device"], importedAt: Date(timeIntervalSince1970: row["imported_at"]))
        record.id = row["id"]
        record.entries = row["entries"]
        record.events = row["events"]
        record.skipped = row["skipped"]
        record.pages = row["pages"]
        return record
    }

    /// How many stored events came from the import `id`.
    public func eventCount(importID id: Int64) throws -> Int {
        do {
            return try writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM event WHERE import_id = ?", arguments: [id]) ?? 0
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }
}
