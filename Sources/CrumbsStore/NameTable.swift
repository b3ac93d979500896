import Foundation
import GRDB
import Synchronization

#if SWIFT_PACKAGE
    import GRDBSQLite
#else
    import SQLite3
#endif

// Every repeated string of an event is stored once and referred to by its integer id: an event
// row then holds one- or two-byte integers where it held the same few dozen names over and over.
// Two tables: `party` holds what says where someone went or who they are (hosts, sites,
// clients), and is cleaned of names no event uses any more when events are forgotten (the name
// must leave the disk with them); `name` holds the vocabulary (content types, Sec-Fetch values,
// request types, list names, rules, companies, categories), which is never deleted.
//
// `PRAGMA user_version` is the tables' generation: whoever deletes names (forgetting,
// retention) increments it, so that a writer's cached ids, possibly of deleted names, are
// dropped before they are used again (checked once per write transaction).

/// The ids of names already interned, shared by the store's write transactions.
final class NameCache: Sendable {
    private struct State {
        var ids: [String: Int64] = [:]
        var generation: Int64 = -1
    }

    private let state = Mutex(State())
    /// Beyond this many names the cache starts again (paths and hosts of a long-running proxy).
    private static let capacity = 200_000

    /// The cached ids, emptied first if the table's generation moved on.
    func snapshot(generation: Int64) -> [String: Int64] {
        state.withLock { state in
            if state.generation != generation { state = State(ids: [:], generation: generation) }
            return state.ids
        }
    }

    /// Adds names interned by a transaction that committed.
    func merge(_ names: InternedNames) {
        let (added, generation) = (names.added, names.generation)
        guard !added.isEmpty else { return }
        state.withLock { state in
            guard state.generation == generation else { return }
            if state.ids.count + added.count > Self.capacity { state.ids = [:] }
            state.ids.merge(added) { _, new in new }
        }
    }
}

/// Names a write transaction added to `name`, with the table's generation it saw.
struct InternedNames: Sendable {
    var added: [String: Int64]
    var generation: Int64
}

/// The store's two caches, one per table.
final class NameCaches: Sendable {
    let names = NameCache()
    let parties = NameCache()

    func merge(_ interned: (names: InternedNames, parties: InternedNames)) {
        names.merge(interned.names)
        parties.merge(interned.parties)
    }
}

/// Interns names within one write transaction: cached ids first, else one statement that finds
/// or inserts the name. New ids reach the shared cache only after the transaction commits
/// (`commit(to:)`), so a rolled-back insert never leaves a dangling id behind.
struct NameInterner: ~Copyable {
    private let statement: OpaquePointer
    private let connection: OpaquePointer
    private var known: [String: Int64]
    private(set) var added: [String: Int64] = [:]
    let generation: Int64

    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// `table`: `name` or `party`.
    init(_ db: Database, table: String, cache: NameCache) throws {
        // DO UPDATE (to the same value) rather than DO NOTHING: RETURNING then gives the id of an
        // existing name too. It runs only for names not yet in the cache.
        let generation = try Int64.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        let prepared = try SQLiteStatement.prepare(
            db,
            sql: "INSERT INTO \(table) (text) VALUES (?) "
                + "ON CONFLICT (text) DO UPDATE SET text = excluded.text RETURNING id")
        (connection, statement) = prepared
        self.generation = generation
        known = cache.snapshot(generation: generation)
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// The id of `text`, interned if new; nil for nil.
    mutating func id(_ text: String?) throws -> Int64? {
        guard let text else { return nil }
        return try id(text)
    }

    mutating func id(_ text: String) throws -> Int64 {
        if let id = known[text] { return id }
        var bytes = text
        bytes.withUTF8 { utf8 in
            _ = utf8.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(statement, 1, $0.baseAddress, Int32($0.count), Self.transient)
            }
        }
        defer { sqlite3_reset(statement) }
        let code = sqlite3_step(statement)
        guard code == SQLITE_ROW else { throw SQLiteStatement.error(code, on: connection) }
        let id = sqlite3_column_int64(statement, 0)
        // Step to the end so that the statement completes before the next use.
        _ = sqlite3_step(statement)
        known[text] = id
        added[text] = id
        return id
    }

    /// The names this transaction added, for the shared cache once it committed.
    var interned: InternedNames { InternedNames(added: added, generation: generation) }
}

extension EventStore {
    /// `(SELECT text FROM name WHERE id = column)`: a stored vocabulary id back to its name, in SQL.
    static func name(_ column: String) -> String {
        "(SELECT text FROM name WHERE id = \(column))"
    }

    /// `(SELECT text FROM party WHERE id = column)`: a stored host, site or client id back to its name.
    static func party(_ column: String) -> String {
        "(SELECT text FROM party WHERE id = \(column))"
    }

    /// `(SELECT id FROM name WHERE text = 'literal')`: a constant evaluated once per statement.
    static func nameID(_ literal: String) -> String {
        "(SELECT id FROM name WHERE text = '\(literal.replacingOccurrences(of: "'", with: "''"))')"
    }

    /// Marks the name table as changed by a deletion (see the note at the top of this file).
    static func bumpNameGeneration(_ db: Database) throws {
        let generation = try Int64.fetchOne(db, sql: "PRAGMA user_version") ?? 0
        try db.execute(sql: "PRAGMA user_version = \(generation + 1)")
    }
}
