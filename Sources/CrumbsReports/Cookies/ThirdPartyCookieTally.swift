import CrumbsModel
import Foundation

/// Folds cookies on third-party traffic into one `ThirdPartyCookie` per (party, cookie name).
/// First-party and same-owner traffic, and events the classifier never saw, are left out: only
/// the classifier knows whose page a request belongs to.
struct ThirdPartyCookieTally {
    private struct Tally {
        var setCount = 0
        var sentCount = 0
        var sites: Set<String> = []
        var tracker = false
        /// Time of the latest `Set-Cookie` that did not delete the cookie, and that header.
        var latest: (time: Date, cookie: SetCookieObservation)?
        var longestDays: Double?
        var session = false

        mutating func add(set cookie: SetCookieObservation, at time: Date) {
            setCount += 1
            guard let expires = cookie.expires else {
                session = true
                keepLatest(cookie, time)
                return
            }
            let days = expires.timeIntervalSince(time) / 86_400
            longestDays = max(longestDays ?? days, days)
            if days > 0 { keepLatest(cookie, time) }
        }

        mutating func note(_ item: InspectedEvent) {
            if let site = item.firstPartySite { sites.insert(site) }
            tracker = tracker || item.event.classification?.isTracker == true
        }

        private mutating func keepLatest(_ cookie: SetCookieObservation, _ time: Date) {
            if let latest, latest.time > time { return }
            latest = (time, cookie)
        }

        /// A persistent lifetime wins over a session one: it is the longer-lived of the two.
        var lifetime: CookieLifetime {
            if let longestDays, longestDays > 0 || !session { return .days(longestDays) }
            return session ? .session : .unknown
        }
    }

    let cookies: [CookieReport.ThirdPartyCookie]

    init(_ events: [InspectedEvent], companies: CompanyIndex) {
        var tallies: [PartyCookie: Tally] = [:]
        for item in events where item.thirdParty {
            let event = item.event
            for cookie in event.cookiesSet {
                let key = PartyCookie(party: item.party, name: cookie.name)
                tallies[key, default: Tally()].add(set: cookie, at: event.time)
                tallies[key]?.note(item)
            }
            // A name sent twice in one header counts once for this request.
            for name in Set(event.cookiesSent.map(\.name)) {
                let key = PartyCookie(party: item.party, name: name)
                tallies[key, default: Tally()].sentCount += 1
                tallies[key]?.note(item)
            }
        }
        cookies = tallies.map { key, tally in
            let latest = tally.latest?.cookie
            return CookieReport.ThirdPartyCookie(
                party: key.party, name: key.name, company: companies[key.party], setCount: tally.setCount,
                sentCount: tally.sentCount, firstPartySites: tally.sites.count, secure: latest?.secure ?? false,
                httpOnly: latest?.httpOnly ?? false, sameSite: latest?.sameSite,
                partitioned: latest?.partitioned ?? false, lifetime: tally.lifetime, tracker: tally.tracker)
        }
        .sorted { ($0.party, $0.name) < ($1.party, $1.name) }
    }
}
