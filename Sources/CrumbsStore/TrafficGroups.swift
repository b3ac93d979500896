import CrumbsModel
import Foundation
import GRDB

/// Third-party traffic grouped by (first-party site, host, company, categories) while rows
/// stream out of SQLite, keyed by the four name ids, so memory grows with the number of groups
/// (tens of thousands a month), never with the number of events. Names are looked up once per
/// distinct id at the end.
///
/// Why not SQL GROUP BY: SQLite groups by sorting every input row (a month's 800,000 rows took
/// 1.3 s of CPU that way), where a hash lookup of four integers here costs well under a
/// microsecond. SQLite still does the join and the filtering.
struct TrafficGroups {
    /// Name ids; 0 stands for NULL (ids start at 1).
    struct Key: Hashable {
        var site: Int64
        var host: Int64
        var company: Int64
        var categories: Int64
    }

    private struct Group {
        var key: Key
        var requests = 0
        var firstSeen: Int64
        var lastSeen: Int64
        var tracker = false
        var inferredRequests = 0
        /// Distinct day numbers (rows come in id order, which is nearly time order).
        var days: [Int] = []
        var cookiesSent: Set<String> = []
        var cookiesSet: Set<String> = []
    }

    private var groups: [Group] = []
    private var index: [Key: Int] = [:]

    /// Counts one request of the group `key` at `milliseconds`; returns the group's index.
    mutating func addRequest(key: Key, milliseconds: Int64, tracker: Bool, inferred: Bool, utcOffset: Int) -> Int {
        let position: Int
        if let known = index[key] {
            position = known
        } else {
            position = groups.count
            groups.append(Group(key: key, firstSeen: milliseconds, lastSeen: milliseconds))
            index[key] = position
        }
        let day = ThirdPartyTraffic.dayNumber(StoredCode.date(milliseconds: milliseconds), utcOffset: utcOffset)
        groups[position].requests += 1
        groups[position].firstSeen = min(groups[position].firstSeen, milliseconds)
        groups[position].lastSeen = max(groups[position].lastSeen, milliseconds)
        groups[position].tracker = groups[position].tracker || tracker
        if inferred { groups[position].inferredRequests += 1 }
        // Consecutive requests of a group are mostly on one day: the linear search is rare.
        if groups[position].days.last != day && !groups[position].days.contains(day) {
            groups[position].days.append(day)
        }
        return position
    }

    /// Adds the name of a cookie sent or set by a request of group `index`.
    mutating func addCookie(_ name: UnsafeRawBufferPointer, sent: Bool, to index: Int) {
        let text = String(decoding: name, as: UTF8.self)
        if sent {
            groups[index].cookiesSent.insert(text)
        } else {
            groups[index].cookiesSet.insert(text)
        }
    }

    /// The `party` ids the groups use (sites or clients, hosts).
    var partyIDs: Set<Int64> {
        var ids: Set<Int64> = []
        for group in groups { ids.formUnion([group.key.site, group.key.host]) }
        ids.remove(0)
        return ids
    }

    /// The `name` ids the groups use (companies, categories).
    var nameIDs: Set<Int64> {
        var ids: Set<Int64> = []
        for group in groups { ids.formUnion([group.key.company, group.key.categories]) }
        ids.remove(0)
        return ids
    }

    /// The groups in the order they were first seen, with their names.
    func traffic(parties: [Int64: String], names: [Int64: String]) -> [ThirdPartyTraffic] {
        groups.map { group in
            ThirdPartyTraffic(
                firstPartySite: parties[group.key.site] ?? "", host: parties[group.key.host] ?? "",
                company: group.key.company == 0 ? nil : names[group.key.company],
                categories: (names[group.key.categories] ?? "").split(separator: ",").map(String.init),
                requests: group.requests, firstSeen: StoredCode.date(milliseconds: group.firstSeen),
                lastSeen: StoredCode.date(milliseconds: group.lastSeen), tracker: group.tracker,
                inferredRequests: group.inferredRequests, days: Set(group.days), cookiesSent: group.cookiesSent,
                cookiesSet: group.cookiesSet)
        }
    }
}

extension EventStore {
    /// The names of `ids`, read in chunks (SQLite limits the number of parameters).
    static func names(of ids: Set<Int64>, in table: String, _ db: Database) throws -> [Int64: String] {
        var names: [Int64: String] = [:]
        let sorted = ids.sorted()
        for start in stride(from: 0, to: sorted.count, by: 500) {
            let chunk = sorted[start..<min(start + 500, sorted.count)]
            let list = chunk.map(String.init).joined(separator: ",")
            for row in try Row.fetchAll(db, sql: "SELECT id, text FROM \(table) WHERE id IN (\(list))") {
                names[row[0]] = row[1]
            }
        }
        return names
    }
}
