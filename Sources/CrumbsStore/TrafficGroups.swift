import CrumbsModel
import Foundation

/// Third-party traffic grouped by (first-party site, host, company, categories) while rows
/// stream out of SQLite: a hash table keyed by the group's bytes, so memory grows with the
/// number of groups (tens of thousands a month), never with the number of events.
///
/// Why not SQL GROUP BY: SQLite groups by sorting every input row, and sorting a month's 800,000
/// rows by four text columns took 1.3 s of CPU (measured with the sqlite3 shell) — most of a 3 s
/// budget — where hashing each row's bytes here costs well under a microsecond. SQLite still does
/// the join and the filtering.
struct TrafficGroups {
    private struct Group {
        var hash: Int
        /// Where the group's key lives in `arena`.
        var keyStart: Int
        var keyCount: Int
        var requests = 0
        var firstSeen: Double
        var lastSeen: Double
        var tracker = false
        var inferredRequests = 0
        /// Distinct day numbers (rows come in id order, which is nearly time order).
        var days: [Int] = []
        var cookiesSent: Set<String> = []
        var cookiesSet: Set<String> = []
    }

    private var groups: [Group] = []
    /// Open addressing: indices into `groups`, -1 for an empty slot; the count is a power of two.
    private var slots = [Int32](repeating: -1, count: 1024)
    /// Every group's key bytes, one after another.
    private var arena: [UInt8] = []
    /// The key being looked up, rebuilt per row without allocating.
    private var scratch: [UInt8] = []

    /// Counts one request of the group named by the four columns; returns the group's index.
    mutating func addRequest(
        site: UnsafeRawBufferPointer, host: UnsafeRawBufferPointer, company: UnsafeRawBufferPointer?,
        categories: UnsafeRawBufferPointer, time: Double, tracker: Bool, inferred: Bool, utcOffset: Int
    ) -> Int {
        let index = find(site: site, host: host, company: company, categories: categories, time: time)
        let day = ThirdPartyTraffic.dayNumber(Date(timeIntervalSince1970: time), utcOffset: utcOffset)
        groups[index].requests += 1
        groups[index].firstSeen = min(groups[index].firstSeen, time)
        groups[index].lastSeen = max(groups[index].lastSeen, time)
        groups[index].tracker = groups[index].tracker || tracker
        if inferred { groups[index].inferredRequests += 1 }
        // Consecutive requests of a group are mostly on one day: the linear search is rare.
        if groups[index].days.last != day && !groups[index].days.contains(day) { groups[index].days.append(day) }
        return index
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

    /// The groups in the order they were first seen.
    func traffic() -> [ThirdPartyTraffic] {
        groups.map { group in
            var fields: [String?] = []
            var offset = group.keyStart
            for _ in 0..<4 {
                let length = arena[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
                offset += 4
                if length == Self.null {
                    fields.append(nil)
                } else {
                    fields.append(String(decoding: arena[offset..<offset + length], as: UTF8.self))
                    offset += length
                }
            }
            return ThirdPartyTraffic(
                firstPartySite: fields[0] ?? "", host: fields[1] ?? "", company: fields[2],
                categories: (fields[3] ?? "").split(separator: ",").map(String.init), requests: group.requests,
                firstSeen: Date(timeIntervalSince1970: group.firstSeen),
                lastSeen: Date(timeIntervalSince1970: group.lastSeen), tracker: group.tracker,
                inferredRequests: group.inferredRequests, days: Set(group.days), cookiesSent: group.cookiesSent,
                cookiesSet: group.cookiesSet)
        }
    }

    /// A length that no field has: marks a NULL company apart from an empty one.
    private static let null = 0xFFFF_FFFF

    /// The group's index; a missing group is created, first seen at `time`.
    private mutating func find(
        site: UnsafeRawBufferPointer, host: UnsafeRawBufferPointer, company: UnsafeRawBufferPointer?,
        categories: UnsafeRawBufferPointer, time: Double
    ) -> Int {
        // Each field is prefixed with its length, so ("ab", "c") and ("a", "bc") differ.
        scratch.removeAll(keepingCapacity: true)
        appendField(site)
        appendField(host)
        appendField(company)
        appendField(categories)
        var hasher = Hasher()
        scratch.withUnsafeBytes { hasher.combine(bytes: $0) }
        let hash = hasher.finalize()
        let mask = slots.count - 1
        var slot = hash & mask
        while slots[slot] >= 0 {
            let candidate = Int(slots[slot])
            if groups[candidate].hash == hash && sameKey(groups[candidate].keyStart, groups[candidate].keyCount) {
                return candidate
            }
            slot = (slot + 1) & mask
        }
        groups.append(
            Group(hash: hash, keyStart: arena.count, keyCount: scratch.count, firstSeen: time, lastSeen: time))
        arena.append(contentsOf: scratch)
        slots[slot] = Int32(groups.count - 1)
        if groups.count * 2 > slots.count { grow() }
        return groups.count - 1
    }

    private mutating func appendField(_ field: UnsafeRawBufferPointer?) {
        let length = field?.count ?? Self.null
        scratch.append(UInt8(truncatingIfNeeded: length >> 24))
        scratch.append(UInt8(truncatingIfNeeded: length >> 16))
        scratch.append(UInt8(truncatingIfNeeded: length >> 8))
        scratch.append(UInt8(truncatingIfNeeded: length))
        if let field { scratch.append(contentsOf: field) }
    }

    /// Whether the stored key at `start` equals `scratch`.
    private func sameKey(_ start: Int, _ count: Int) -> Bool {
        guard count == scratch.count else { return false }
        return arena.withUnsafeBytes { stored in
            scratch.withUnsafeBytes { wanted in
                memcmp(stored.baseAddress! + start, wanted.baseAddress!, count) == 0
            }
        }
    }

    /// Doubles the slot array and reinserts every group by its stored hash.
    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (index, group) in groups.enumerated() {
            var slot = group.hash & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(index)
        }
    }
}
