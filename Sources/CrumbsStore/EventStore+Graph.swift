import CrumbsModel
import Foundation
import GRDB

// The site ↔ third-party graph's input, aggregated in the store: one row per (first-party site,
// host, company, categories) instead of one per event, so a month of a million events comes back
// as tens of thousands of groups and no event is ever held in memory.
//
// SQLite joins and filters; the grouping happens in `TrafficGroups` as rows stream by, because
// SQL GROUP BY sorts every row first; and the cookie tables are walked beside the events in id
// order instead of being joined back to them. Measured on 1,000,000 events over 30 days (806,000
// third-party, 428,000 cookies), release build, whole `crumbs graph --format csv`: 3.2-3.7 s of
// CPU with GROUP BY queries for the groups and the cookie names, 1.2-1.3 s this way.

extension EventStore {
    /// `text` as an SQL string literal: quotes doubled, NUL characters (which would end the
    /// statement's text early) refused by replacement.
    static func sqlLiteral(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''").replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") + "'"
    }

    /// Third-party traffic with `since <= time < until` grouped per (first-party site, host,
    /// company, categories), with distinct local days and distinct cookie names per group.
    /// With `byClient`, the groups' `firstPartySite` is the event's client instead (device graphs).
    ///
    /// Only classified events that name a first-party site and are third party count, as in
    /// `GraphBuilder`; with `observedOnly`, only those whose page was observed (high or medium
    /// confidence), leaving guesses out. `utcOffset` (seconds east of UTC) decides where a local
    /// day starts. Each group appears once, in the order of its first request.
    public func thirdPartyTraffic(
        since: Date? = nil, until: Date? = nil, utcOffset: Int = 0, observedOnly: Bool = false,
        sources: Set<RequestEvent.Source>? = nil, clients: Set<String>? = nil, byClient: Bool = false
    ) throws -> [ThirdPartyTraffic] {
        // Codes from the enum, never from user input: safe to write into the SQL.
        let sourceFilter =
            sources.map {
                "AND e.source IN (" + $0.map { String(StoredCode.code($0)) }.sorted().joined(separator: ", ") + ")"
            }
            ?? ""
        // Clients are free text (an import's device label): written as SQL string literals.
        let clientFilter =
            clients.map {
                "AND e.client IN (SELECT id FROM party WHERE text IN ("
                    + ($0.isEmpty ? "NULL" : $0.sorted().map(Self.sqlLiteral).joined(separator: ", ")) + "))"
            }
            ?? ""
        let lower = since.map(StoredCode.milliseconds) ?? Int64.min
        let upper = until.map(StoredCode.milliseconds) ?? Int64.max
        do {
            // One read: the requests and the cookies come from the same snapshot.
            return try writer.read { db in
                // The window's id range (through the time index) lets every pass walk its table in
                // id order: events and cookies then meet like a merge, with no per-row lookups.
                let bounds = try Row.fetchOne(
                    db, sql: "SELECT MIN(id), MAX(id) FROM event WHERE time >= ? AND time < ?",
                    arguments: [lower, upper])
                guard let first = bounds?[0] as Int64?, let last = bounds?[1] as Int64? else { return [] }
                var requests = try SQLiteQuery(
                    db,
                    sql: """
                        SELECT e.id, \(byClient ? "e.client" : "c.first_party_site"), e.host, c.company, c.categories,
                            e.time, c.tracker, c.confidence >= \(StoredCode.code(.medium))
                        FROM event e JOIN classification c ON c.event_id = e.id
                        WHERE e.id BETWEEN ?3 AND ?4 AND +e.time >= ?1 AND +e.time < ?2
                            AND c.third_party AND c.first_party_site IS NOT NULL
                            AND c.first_party_site IS NOT (SELECT id FROM party WHERE text = '')
                            \(observedOnly ? "AND c.confidence >= \(StoredCode.code(.medium))" : "") \(sourceFilter)
                            \(clientFilter)
                        ORDER BY e.id
                        """, integers: [lower, upper, first, last])
                var sent = try CookieNames(db, table: "cookie_sent", ids: first...last)
                var set = try CookieNames(db, table: "cookie_set", ids: first...last)
                var groups = TrafficGroups()
                while try requests.step() {
                    // NULL reads as 0, which no name has.
                    let key = TrafficGroups.Key(
                        site: requests.integer(1), host: requests.integer(2), company: requests.integer(3),
                        categories: requests.integer(4))
                    let id = requests.integer(0)
                    let group = groups.addRequest(
                        key: key, milliseconds: requests.integer(5), tracker: requests.integer(6) != 0,
                        inferred: requests.integer(7) == 0, utcOffset: utcOffset)
                    try sent.forEach(of: id) { groups.addCookie($0, sent: true, to: group) }
                    try set.forEach(of: id) { groups.addCookie($0, sent: false, to: group) }
                }
                return groups.traffic(
                    parties: try Self.names(of: groups.partyIDs, in: "party", db),
                    names: try Self.names(of: groups.nameIDs, in: "name", db))
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }
}

/// The names in one cookie table, walked in event id order beside the events.
private struct CookieNames: ~Copyable {
    private var query: SQLiteQuery
    /// The event id of the current row; nil past the end.
    private var current: Int64?

    init(_ db: Database, table: String, ids: ClosedRange<Int64>) throws {
        var query = try SQLiteQuery(
            db, sql: "SELECT event_id, name FROM \(table) WHERE event_id BETWEEN ?1 AND ?2 ORDER BY event_id",
            integers: [ids.lowerBound, ids.upperBound])
        current = try query.step() ? query.integer(0) : nil
        self.query = query
    }

    /// Calls `body` with each cookie name of event `id`. Ids must come in ascending order;
    /// cookies of events that were skipped (not counted) are passed over.
    mutating func forEach(of id: Int64, _ body: (UnsafeRawBufferPointer) -> Void) throws {
        while let event = current, event < id { try advance() }
        while let event = current, event == id {
            if let name = query.text(1) { body(name) }
            try advance()
        }
    }

    private mutating func advance() throws {
        current = try query.step() ? query.integer(0) : nil
    }
}
