import CrumbsModel
import Foundation

/// Identifier-like cookies (the rule is on `CookieInspector`) and cross-site identifiers: one
/// third-party cookie value sent to its party from several first-party sites.
///
/// Values are told apart by keyed hash only. Cookies of every party are judged, first-party ones
/// too: a site's own identifier (`_ga`) is what leaks into analytics beacons.
struct IdentifierFinder {
    /// What was seen of one value of one cookie of one party.
    private struct ValueTally {
        var length = 0
        var entropyBits = 0.0
        var daysSent: Set<Int> = []
        var longestDays: Double?
        var session = false
        var sites: Set<String> = []
        var events: Set<Int> = []
        var thirdParty = false

        mutating func note(_ item: InspectedEvent, index: Int, length: Int, entropyBits: Double) {
            self.length = max(self.length, length)
            self.entropyBits = max(self.entropyBits, entropyBits)
            if let site = item.firstPartySite { sites.insert(site) }
            events.insert(index)
            thirdParty = thirdParty || item.thirdParty
        }

        mutating func noteExpiry(_ expires: Date?, setAt time: Date) {
            guard let expires else {
                session = true
                return
            }
            let days = expires.timeIntervalSince(time) / 86_400
            longestDays = max(longestDays ?? days, days)
        }

        /// Why this value is an identifier, or nil when it is not one.
        var reason: CookieReport.IdentifierCookie.Reason? {
            guard CookieInspector.looksLikeIdentifier(length: length, entropyBits: entropyBits) else { return nil }
            if let longestDays, longestDays > 0 {
                // A persistent cookie: only its asked-for lifetime counts, however often it is sent.
                return longestDays >= CookieInspector.minimumLifetimeDays ? .longLived : nil
            }
            return daysSent.count >= CookieInspector.minimumDaysResent ? .resentAcrossDays : nil
        }

        var lifetime: CookieLifetime {
            if let longestDays, longestDays > 0 { return .days(longestDays) }
            return session ? .session : .unknown
        }
    }

    /// A value that passed the identifier test, and why.
    private struct Qualified {
        var hash: String
        var tally: ValueTally
        var reason: CookieReport.IdentifierCookie.Reason
    }

    private struct ValueKey: Hashable {
        var party: String
        var name: String
        var valueHash: String
    }

    let identifierCookies: [CookieReport.IdentifierCookie]
    let crossSiteIdentifiers: [CookieReport.CrossSiteIdentifier]

    init(_ events: [InspectedEvent], companies: CompanyIndex) {
        var values: [ValueKey: ValueTally] = [:]
        for (index, item) in events.enumerated() {
            for cookie in item.event.cookiesSent {
                let key = ValueKey(party: item.party, name: cookie.name, valueHash: cookie.valueHash)
                values[key, default: ValueTally()]
                    .note(item, index: index, length: cookie.valueLength, entropyBits: cookie.entropyBits)
                values[key]?.daysSent.insert(item.day)
            }
            for cookie in item.event.cookiesSet {
                let key = ValueKey(party: item.party, name: cookie.name, valueHash: cookie.valueHash)
                values[key, default: ValueTally()]
                    .note(item, index: index, length: cookie.valueLength, entropyBits: cookie.entropyBits)
                values[key]?.noteExpiry(cookie.expires, setAt: item.event.time)
            }
        }
        identifierCookies = Self.identifiers(values, companies: companies)
        crossSiteIdentifiers = Self.crossSite(events, companies: companies)
    }

    /// Qualifying values grouped per (party, cookie name).
    private static func identifiers(_ values: [ValueKey: ValueTally], companies: CompanyIndex)
        -> [CookieReport.IdentifierCookie]
    {
        var grouped: [PartyCookie: [Qualified]] = [:]
        for (key, tally) in values {
            guard let reason = tally.reason else { continue }
            grouped[PartyCookie(party: key.party, name: key.name), default: []]
                .append(Qualified(hash: key.valueHash, tally: tally, reason: reason))
        }
        return grouped.map { key, found in
            let longest = found.compactMap(\.tally.longestDays).filter { $0 > 0 }.max()
            let lifetime: CookieLifetime =
                longest.map { .days($0) } ?? (found.contains { $0.tally.session } ? .session : .unknown)
            return CookieReport.IdentifierCookie(
                party: key.party, name: key.name, company: companies[key.party],
                reason: found.contains { $0.reason == .longLived } ? .longLived : .resentAcrossDays,
                thirdParty: found.contains { $0.tally.thirdParty }, lifetime: lifetime,
                daysSent: found.reduce(into: Set<Int>()) { $0.formUnion($1.tally.daysSent) }.count,
                firstPartySites: found.reduce(into: Set<String>()) { $0.formUnion($1.tally.sites) }.count,
                events: found.reduce(into: Set<Int>()) { $0.formUnion($1.tally.events) }.count,
                valueHashes: found.map(\.hash).sorted())
        }
        .sorted { ($0.party, $0.name) < ($1.party, $1.name) }
    }

    /// Third-party cookie values sent from at least `minimumCrossSites` first-party sites.
    private static func crossSite(_ events: [InspectedEvent], companies: CompanyIndex)
        -> [CookieReport.CrossSiteIdentifier]
    {
        var seen: [ValueKey: (sites: Set<String>, count: Int)] = [:]
        for item in events where item.thirdParty {
            guard let site = item.firstPartySite else { continue }
            for cookie in item.event.cookiesSent
            where CookieInspector.looksLikeIdentifier(length: cookie.valueLength, entropyBits: cookie.entropyBits) {
                let key = ValueKey(party: item.party, name: cookie.name, valueHash: cookie.valueHash)
                seen[key, default: ([], 0)].sites.insert(site)
                seen[key]?.count += 1
            }
        }
        return seen.compactMap { key, value in
            guard value.sites.count >= CookieInspector.minimumCrossSites else { return nil }
            return CookieReport.CrossSiteIdentifier(
                party: key.party, name: key.name, company: companies[key.party], sites: value.sites.sorted(),
                count: value.count, valueHash: key.valueHash)
        }
        .sorted { ($0.party, $0.name, $0.valueHash) < ($1.party, $1.name, $1.valueHash) }
    }
}
