import CrumbsModel
import CrumbsStore
import Foundation

/// A small, fixed history over three local days in New York, written into a real SQLite file
/// with `EventStore.append`, so that every digest test reads what the SQL aggregates produce.
///
/// The digest day is 2026-11-20. The days before hold one and two sites, so the trend and the
/// "new" section have something to compare with. Hostile names (a host that is a script tag, a
/// company with quotes and markup) travel through every format.
enum DigestFixture {
    static let zone = TimeZone(identifier: "America/New_York")!
    static let day = Day(year: 2026, month: 11, day: 20)
    static let hostileHost = "<script>alert(1)</script>.example"
    static let hostileCompany = "Evil \"Co\" <b>&</b>"
    static let hostileCookie = "\"><img src=x onerror=alert(1)>"
    /// An identifier-like cookie of google-analytics.com, sent from two sites and synced to Criteo.
    static let uid = SentCookie(name: "uid", valueHash: "hash-uid", valueLength: 36, entropyBits: 120)

    /// Local time on `day` (plus `offset` days).
    static func time(_ hour: Int, _ minute: Int = 0, dayOffset: Int = 0) -> Date {
        day.adding(days: dayOffset).start(in: zone).addingTimeInterval(Double(hour * 3600 + minute * 60))
    }

    static func page(_ site: String, at time: Date, client: String = "127.0.0.1:5000") -> RequestEvent {
        event(
            host: "www." + site, at: time, client: client,
            classification: Classification(
                firstPartySite: site, attribution: .navigation, confidence: .high, requestType: "document"))
    }

    static func thirdParty(
        _ host: String, on site: String, at time: Date, company: String?, categories: [String] = [],
        tracker: Bool = true, confidence: Classification.Confidence = .high, sent: [SentCookie] = [],
        set: [SetCookieObservation] = [], tokens: [URLToken] = []
    ) -> RequestEvent {
        var result = event(
            host: host, at: time,
            classification: Classification(
                firstPartySite: site, attribution: confidence == .low ? .timeWindow : .referer, confidence: confidence,
                requestType: "script", isThirdParty: true, isTracker: tracker, lists: tracker ? ["easyprivacy"] : [],
                company: company, categories: categories))
        result.cookiesSent = sent
        result.cookiesSet = set
        result.urlTokens = tokens
        return result
    }

    static func event(
        host: String, at time: Date, client: String = "127.0.0.1:5000", classification: Classification?
    ) -> RequestEvent {
        var event = RequestEvent(
            time: time, clientAddress: client, method: "GET", scheme: "http", host: host, port: 80, path: "/")
        event.classification = classification
        return event
    }

    static var events: [RequestEvent] {
        var events: [RequestEvent] = []
        // Two days before: one site with Google Analytics.
        events.append(page("news.example", at: time(9, dayOffset: -2)))
        events.append(
            thirdParty(
                "www.google-analytics.com", on: "news.example", at: time(9, 1, dayOffset: -2), company: "Alphabet",
                categories: ["analytics"]))
        // The day before: two sites, Alphabet on both.
        events.append(page("news.example", at: time(10, dayOffset: -1)))
        events.append(
            thirdParty(
                "www.google-analytics.com", on: "news.example", at: time(10, 1, dayOffset: -1), company: "Alphabet",
                categories: ["analytics"]))
        events.append(page("shop.example", at: time(11, dayOffset: -1)))
        events.append(
            thirdParty(
                "securepubads.doubleclick.net", on: "shop.example", at: time(11, 1, dayOffset: -1),
                company: "Alphabet", categories: ["advertising"]))
        // The day itself.
        events += [
            page("news.example", at: time(8)),
            thirdParty(
                "www.google-analytics.com", on: "news.example", at: time(8, 1), company: "Alphabet",
                categories: ["analytics"], sent: [uid]),
            thirdParty(
                "connect.facebook.net", on: "news.example", at: time(8, 2), company: "Meta", categories: ["social"]),
            thirdParty("static.cdn.example", on: "news.example", at: time(8, 3), company: nil, tracker: false),
            page("news.example", at: time(13)),
            thirdParty(
                "www.google-analytics.com", on: "news.example", at: time(13, 1), company: "Alphabet",
                categories: ["analytics"]),
            page("shop.example", at: time(14)),
            page("shop.example", at: time(14, 30)),
            thirdParty(
                "securepubads.doubleclick.net", on: "shop.example", at: time(14, 31), company: "Alphabet",
                categories: ["advertising"]),
            thirdParty(
                "static.criteo.net", on: "shop.example", at: time(14, 32), company: "Criteo",
                categories: ["advertising"],
                tokens: [URLToken(source: .query, host: "static.criteo.net", name: "gid", valueHash: uid.valueHash)]),
            page("blog.example", at: time(21)),
            thirdParty(
                hostileHost, on: "blog.example", at: time(21, 1), company: hostileCompany, categories: ["advertising"],
                set: [
                    SetCookieObservation(
                        name: hostileCookie, valueHash: "hash-evil", valueLength: 32,
                        expires: time(21, 1).addingTimeInterval(400 * 86_400), entropyBits: 100)
                ]),
            thirdParty(
                "www.google-analytics.com", on: "blog.example", at: time(21, 2), company: "Alphabet",
                categories: ["analytics"], sent: [uid]),
            // Guesswork, counted apart: a tunnel given to the last page by timing, and traffic with
            // no first party at all (one classified without a site, one never classified).
            thirdParty(
                "ads.tracker.example", on: "blog.example", at: time(21, 3), company: "Tracker Inc",
                categories: ["advertising"], confidence: .low),
            event(
                host: "pixel.tracker.example", at: time(23, 59),
                classification: Classification(isThirdParty: true, isTracker: true, company: "Tracker Inc")),
            event(host: "unclassified.example", at: time(23, 59).addingTimeInterval(30), classification: nil),
        ]
        // The day after must not leak into the digest.
        events.append(page("later.example", at: time(1, dayOffset: 1)))
        return events
    }

    /// A fresh store file holding `events`, removed when `body` returns.
    static func withStore<T>(_ body: (EventStore, URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("crumbs-digest-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
        try store.append(events)
        return try body(store, directory)
    }
}
