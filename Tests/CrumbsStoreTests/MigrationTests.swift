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

/// v8 moved names into `name` and `party`, codes and integer times: a v7 store keeps every event.
@Suite struct CompactRowsMigrationTests {
    @Test func aVersion7StoreKeepsEveryEventCookieAndClassification() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("crumbs.sqlite").path
            do {
                let queue = try DatabaseQueue(path: path)
                try EventStore.migrator.migrate(queue, upTo: "v7: devices")
                try queue.write { db in
                    try db.execute(
                        sql: """
                            INSERT INTO event (id, time, client, kind, method, scheme, host, port, path, status, bytes_up,
                                bytes_down, duration, content_type, referer_site, sec_fetch_dest, source, accept)
                            VALUES (1, 1700000000.1234, '10.0.0.2', 'request', 'GET', 'https', 'px.tracker.example', 443,
                                '/p.gif', 200, 10, 20, 0.25, 'image/gif', 'news.example', 'image', 'intercepted', '*/*'),
                              (2, 1700000001, '10.0.0.3', 'tunnel', 'CONNECT', 'https', 'www.news.example', 443, NULL,
                                NULL, 0, 0, 1.5, NULL, NULL, NULL, 'proxy', NULL)
                            """)
                    try db.execute(
                        sql: """
                            INSERT INTO classification (event_id, first_party_site, attribution, confidence, request_type,
                                third_party, same_owner, tracker, lists, rule, rule_location, company, categories)
                            VALUES (1, 'news.example', 'referer', 'high', 'image', 1, 0, 1, 'easyprivacy', '||tracker.example^',
                                'easyprivacy.txt:12', 'Tracker Inc', 'analytics,advertising'),
                              (2, 'news.example', 'inferredNavigation', 'low', 'document', 0, 0, 0, '', NULL, NULL, NULL, '')
                            """)
                    try db.execute(
                        sql: "INSERT INTO cookie_sent (event_id, position, name, value_hash, value_length) "
                            + "VALUES (1, 0, 'uid', 'ab', 16)")
                }
            }
            let store = try EventStore(path: path)
            let events = try store.events()
            #expect(events.count == 2)
            let pixel = try #require(events.first)
            #expect(abs(pixel.time.timeIntervalSince1970 - 1_700_000_000.1234) < 0.000_501)
            #expect(pixel.clientAddress == "10.0.0.2" && pixel.kind == .request && pixel.host == "px.tracker.example")
            #expect(pixel.path == "/p.gif" && pixel.status == 200 && pixel.duration == 0.25)
            #expect(pixel.contentType == "image/gif" && pixel.refererSite == "news.example" && pixel.accept == "*/*")
            #expect(pixel.source == .intercepted && pixel.cookiesSent.map(\.name) == ["uid"])
            #expect(
                pixel.classification
                    == Classification(
                        firstPartySite: "news.example", attribution: .referer, confidence: .high, requestType: "image",
                        isThirdParty: true, isTracker: true, lists: ["easyprivacy"], rule: "||tracker.example^",
                        ruleLocation: "easyprivacy.txt:12", company: "Tracker Inc",
                        categories: ["analytics", "advertising"]))
            let tunnel = try #require(events.last)
            #expect(tunnel.kind == .tunnel && tunnel.source == .proxy && tunnel.path == nil && tunnel.duration == 1.5)
            #expect(tunnel.classification?.attribution == .inferredNavigation && tunnel.classification?.lists == [])
            #expect(try store.integrityCheck() == ["ok"])
            // The readable view names everything again.
            let named = try DatabaseQueue(path: path).read { db in
                try Row.fetchOne(
                    db, sql: "SELECT client, host, kind, source, company, confidence FROM event_named WHERE id = 1")
            }
            #expect(named?[0] == "10.0.0.2" && named?[1] == "px.tracker.example" && named?[2] == "request")
            #expect(named?[3] == "intercepted" && named?[4] == "Tracker Inc" && named?[5] == "high")
        }
    }
}
