import CrumbsModel
import Foundation
import GRDB
import Testing

@testable import CrumbsStore

/// Stores written by earlier versions upgrade in place, losing nothing; a failed upgrade leaves
/// the file as it was and says why.
@Suite struct MigrationTests {
    /// A file at schema v4 (before `source`) holding one plain and one decrypted request.
    private func writeVersion4Store(at path: String, extra: String? = nil) throws {
        let queue = try DatabaseQueue(path: path)
        try EventStore.migrator.migrate(queue, upTo: "v4: cookie findings")
        try queue.write { db in
            for (id, intercepted) in [(1, false), (2, true)] {
                try db.execute(
                    sql: """
                        INSERT INTO event (id, time, client, kind, method, scheme, host, port, path, bytes_up,
                            bytes_down, duration, intercepted)
                        VALUES (?, 1700000000, '127.0.0.1', 'request', 'GET', 'https', 'old.example', 443, '/p', 0, 0,
                            0.1, ?)
                        """, arguments: [id, intercepted])
                try db.execute(
                    sql:
                        "INSERT INTO cookie_sent (event_id, position, name, value_hash, value_length) VALUES (?, 0, 'id', 'abc', 3)",
                    arguments: [id])
            }
            if let extra { try db.execute(sql: extra) }
        }
    }

    @Test func aVersion4StoreGainsSourcesAndKeepsEveryEvent() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("crumbs.sqlite").path
            try writeVersion4Store(at: path)
            let store = try EventStore(path: path)
            let events = try store.events()
            #expect(events.map(\.source) == [.proxy, .intercepted])
            #expect(events.map(\.host) == ["old.example", "old.example"])
            #expect(events.allSatisfy { $0.cookiesSent.map(\.name) == ["id"] })
            // New events go in beside the old ones.
            try store.append([
                RequestEvent(
                    time: Date(), clientAddress: "c", method: "GET", scheme: "https", host: "new.example", port: 443,
                    source: .har)
            ])
            #expect(try store.events().map(\.source) == [.proxy, .intercepted, .har])
        }
    }

    @Test func aFailedMigrationLeavesTheFileAsItWasAndSaysWhy() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("crumbs.sqlite").path
            // A column with the name v5 adds: the migration cannot complete.
            try writeVersion4Store(at: path, extra: "ALTER TABLE event ADD COLUMN source TEXT")
            #expect {
                _ = try EventStore(path: path)
            } throws: { error in
                let text = "\(error)"
                return text.contains(path) && text.contains("duplicate column name: source")
            }
            let queue = try DatabaseQueue(path: path)
            // Still as it was: v4, with the column added by hand and every event.
            #expect(try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM event") } == 2)
            #expect(
                try queue.read { db in try EventStore.migrator.appliedMigrations(db) }.last == "v4: cookie findings")
        }
    }
}
