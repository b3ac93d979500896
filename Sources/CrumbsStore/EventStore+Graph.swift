import CrumbsModel
import Foundation
import GRDB

// The site ↔ third-party graph's input, aggregated by SQLite: one row per (first-party site, host,
// company, categories) instead of one per event, so a month of a million events comes back as
// tens of thousands of groups and no event is ever loaded.
//
// Most of the time goes into SQLite sorting the month's rows for GROUP BY (about 1.4 s of CPU for
// 800,000 third-party events). The work is split into four reads that run side by side on the
// pool's reader connections — the two halves of the time range, cookies sent, cookies set — so a
// second core halves the wait. All four see the same events: each is bounded by the largest event
// id at the start, and events, their classification and cookies are written in one transaction.

extension EventStore {
    /// Third-party traffic with `since <= time < until` grouped per (first-party site, host,
    /// company, categories), with distinct local days and distinct cookie names per group.
    ///
    /// Only classified events that name a first-party site and are third party count, as in
    /// `GraphBuilder`. `utcOffset` (seconds east of UTC) decides where a local day starts. Each
    /// group appears once; the order is deterministic but not sorted.
    public func thirdPartyTraffic(since: Date? = nil, until: Date? = nil, utcOffset: Int = 0) throws
        -> [ThirdPartyTraffic]
    {
        let lower = since?.timeIntervalSince1970 ?? -Double.greatestFiniteMagnitude
        let upper = until?.timeIntervalSince1970 ?? Double.greatestFiniteMagnitude
        do {
            let bounds = try writer.read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT (SELECT MAX(id) FROM event), (SELECT MIN(time) FROM event WHERE time >= ?),
                            (SELECT MAX(time) FROM event WHERE time < ?)
                        """, arguments: [lower, upper])
            }
            guard let bounds, let lastID = bounds[0] as Int64?, let first = bounds[1] as Double?,
                let last = bounds[2] as Double?, first <= last
            else { return [] }
            let middle = first + (last - first) / 2
            let reads: [TrafficRead] = [
                .groups(lower: lower, upper: middle), .groups(lower: middle, upper: upper),
                .cookies(table: "cookie_sent"), .cookies(table: "cookie_set"),
            ]
            let results = ParallelResults<TrafficPart>(count: reads.count)
            DispatchQueue.concurrentPerform(iterations: reads.count) { i in
                results.set(
                    i,
                    Result {
                        try writer.read { db in
                            try reads[i].run(db, lower: lower, upper: upper, lastID: lastID, utcOffset: utcOffset)
                        }
                    })
            }
            var groups = Groups()
            for part in try results.values() {
                switch part {
                case .groups(let rows): for (key, row) in rows { groups.merge(row, key: key) }
                case .cookies(let table, let names):
                    for (key, name) in names { groups.addCookie(name, sent: table == "cookie_sent", key: key) }
                }
            }
            return groups.rows
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }
}

/// One of the reads `thirdPartyTraffic` runs side by side.
private enum TrafficRead: Sendable {
    case groups(lower: Double, upper: Double)
    case cookies(table: String)

    /// The filter every read shares: the time range, classified third-party traffic with a first
    /// party, and events that existed when the export started. `c` is classification, `e` event.
    static let filter = """
        e.time >= :lower AND e.time < :upper AND e.id <= :lastID AND c.third_party AND c.first_party_site <> ''
        """

    func run(_ db: Database, lower: Double, upper: Double, lastID: Int64, utcOffset: Int) throws -> TrafficPart {
        switch self {
        case .groups(let from, let to):
            // Times are after 1970, so CAST truncation is floor: the day number of ThirdPartyTraffic.
            let sql = """
                SELECT c.first_party_site, e.host, c.company, c.categories, COUNT(*), MIN(e.time), MAX(e.time),
                    MAX(c.tracker), group_concat(DISTINCT CAST((e.time + :offset) / 86400 AS INTEGER))
                FROM event e JOIN classification c ON c.event_id = e.id
                WHERE \(Self.filter)
                GROUP BY c.first_party_site, e.host, c.company, c.categories
                """
            let arguments: StatementArguments = ["lower": from, "upper": to, "lastID": lastID, "offset": utcOffset]
            var rows: [(String, ThirdPartyTraffic)] = []
            let cursor = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try cursor.next() {
                let (site, host, company, categories): (String, String, String?, String) = (
                    row[0], row[1], row[2], row[3]
                )
                let days: String = row[8]
                rows.append(
                    (
                        Groups.key(site, host, company, categories),
                        ThirdPartyTraffic(
                            firstPartySite: site, host: host, company: company,
                            categories: categories.split(separator: ",").map(String.init), requests: row[4],
                            firstSeen: Date(timeIntervalSince1970: row[5]),
                            lastSeen: Date(timeIntervalSince1970: row[6]), tracker: row[7],
                            days: Set(days.split(separator: ",").compactMap { Int($0) }))
                    ))
            }
            return .groups(rows)
        case .cookies(let table):
            // Driven from the cookie table (CROSS JOIN keeps that order): cookies are fewer than
            // events, and the id range of the time window lets SQLite skip the rest of the table.
            let sql = """
                SELECT c.first_party_site, e.host, c.company, c.categories, k.name
                FROM \(table) k CROSS JOIN event e ON e.id = k.event_id
                    CROSS JOIN classification c ON c.event_id = k.event_id
                WHERE k.event_id >= (SELECT MIN(id) FROM event WHERE time >= :lower AND time < :upper)
                    AND k.event_id <= (SELECT MAX(id) FROM event WHERE time >= :lower AND time < :upper)
                    AND \(Self.filter)
                GROUP BY c.first_party_site, e.host, c.company, c.categories, k.name
                """
            var names: [(String, String)] = []
            let cursor = try Row.fetchCursor(
                db, sql: sql, arguments: ["lower": lower, "upper": upper, "lastID": lastID])
            while let row = try cursor.next() {
                names.append((Groups.key(row[0], row[1], row[2], row[3]), row[4]))
            }
            return .cookies(table: table, names: names)
        }
    }
}

/// What one read returns: groups with their keys, or (group key, cookie name) pairs.
private enum TrafficPart: Sendable {
    case groups([(String, ThirdPartyTraffic)])
    case cookies(table: String, names: [(String, String)])
}

/// Groups merged from the reads, in first-seen order, with their positions by key.
private struct Groups {
    var rows: [ThirdPartyTraffic] = []
    var index: [String: Int] = [:]

    /// Identifies a group across reads. A tab cannot occur in a site, host or company name that
    /// the classifier wrote; `=` marks a known company so that NULL and "" stay apart.
    static func key(_ site: String, _ host: String, _ company: String?, _ categories: String) -> String {
        site + "\t" + host + "\t" + (company.map { "=" + $0 } ?? "") + "\t" + categories
    }

    /// Adds a group, or folds it into the one with the same key (the other half of the range).
    mutating func merge(_ row: ThirdPartyTraffic, key: String) {
        guard let position = index[key] else {
            index[key] = rows.count
            rows.append(row)
            return
        }
        rows[position].requests += row.requests
        rows[position].firstSeen = min(rows[position].firstSeen, row.firstSeen)
        rows[position].lastSeen = max(rows[position].lastSeen, row.lastSeen)
        rows[position].tracker = rows[position].tracker || row.tracker
        rows[position].days.formUnion(row.days)
    }

    /// Every cookie's event passed the same filter, so its group exists.
    mutating func addCookie(_ name: String, sent: Bool, key: String) {
        guard let position = index[key] else { return }
        if sent {
            rows[position].cookiesSent.insert(name)
        } else {
            rows[position].cookiesSet.insert(name)
        }
    }
}

/// Results written by concurrent workers, one slot each.
private final class ParallelResults<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<Value, any Error>?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    func set(_ index: Int, _ result: Result<Value, any Error>) {
        lock.lock()
        defer { lock.unlock() }
        slots[index] = result
    }

    /// The values in slot order; the first failure is thrown.
    func values() throws -> [Value] {
        lock.lock()
        defer { lock.unlock() }
        return try slots.map { try $0!.get() }
    }
}
