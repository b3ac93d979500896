import CrumbsModel
import CrumbsStore
import Foundation

/// Classified events over three days on three sites, with cookies and hostile names, and a
/// temporary SQLite store holding them (written by `EventStore.append`, as the recorder does).
enum GraphStoreFixture {
    static let xssHost = "<script>alert(1)</script>.example"
    static let xssCookie = "\"><img src=x onerror=alert(1)>"
    static let xssCompany = "<b>Evil & Co</b>"
    static let day0 = Date(timeIntervalSince1970: 1_793_786_400)  // 2026-11-04T10:00:00Z

    /// Last two labels: enough for these names (the CLI passes the Public Suffix List).
    static let siteOf: @Sendable (String) -> String? = { host in
        let labels = host.split(separator: ".")
        return labels.count >= 2 ? labels.suffix(2).joined(separator: ".") : nil
    }

    static func event(
        _ site: String?, _ host: String, at seconds: Double = 0, tracker: Bool = true, thirdParty: Bool = true,
        company: String? = nil, categories: [String] = [], sent: [String] = [], set: [String] = [],
        classified: Bool = true
    ) -> RequestEvent {
        RequestEvent(
            time: day0.addingTimeInterval(seconds), clientAddress: "127.0.0.1", method: "GET",
            scheme: "https", host: host, port: 443,
            cookiesSent: sent.map { SentCookie(name: $0, valueHash: "hash-\($0)", valueLength: 8) },
            cookiesSet: set.map { SetCookieObservation(name: $0, valueHash: "hash-\($0)", valueLength: 8) },
            classification: classified
                ? Classification(
                    // Observed through a Referer, as most decrypted subresources are.
                    firstPartySite: site, attribution: .referer, confidence: .high, isThirdParty: thirdParty,
                    isTracker: tracker, company: company,
                    categories: categories) : nil)
    }

    static let day = 86_400.0

    static let events: [RequestEvent] = [
        event("news.example", "stats.doubleclick.net", company: "Google", categories: ["advertising"], sent: ["id"]),
        event(
            "news.example", "stats.doubleclick.net", at: 60, company: "Google", categories: ["advertising"],
            sent: ["id", "IDE"]),
        event(
            "news.example", "ad.doubleclick.net", at: day, company: "Google", categories: ["advertising"],
            set: ["IDE"]),
        event(
            "news.example", "www.google-analytics.com", at: 2 * day, company: "Google", categories: ["analytics"],
            sent: ["_ga"]),
        event("blog.example", "stats.doubleclick.net", at: 2 * day, company: "Google", categories: ["advertising"]),
        event("blog.example", "cdn.jsdelivr.net", at: 3600, tracker: false, categories: ["content"]),
        event(
            "blog.example", xssHost, at: 7200, company: xssCompany, categories: ["advertising"],
            sent: [xssCookie], set: [xssCookie]),
        event("shop.example", "connect.facebook.net", at: day + 5, company: "Meta", categories: ["social"]),
        event("shop.example", "stats.doubleclick.net", at: day + 9, company: "Google", categories: ["advertising"]),
        // The same host once filed under another company (lists changed): folding stays exact.
        event(
            "shop.example", "stats.doubleclick.net", at: day + 10, company: "DoubleClick", categories: ["advertising"]),
        // Not counted: same site, unclassified, unattributed, empty site.
        event("news.example", "static.news.example", thirdParty: false),
        event("news.example", "tracker.example", classified: false),
        event(nil, "orphan.example"),
        event("", "empty.example"),
    ]

    /// A store in a fresh temporary directory holding `events`, removed when `body` returns.
    static func withStore<T>(_ events: [RequestEvent] = events, _ body: (EventStore) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("crumbs-graph-tests-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
        try store.append(events)
        return try body(store)
    }
}
