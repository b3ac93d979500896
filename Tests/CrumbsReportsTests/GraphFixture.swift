import CrumbsModel
import Foundation

/// Hand-made classified events: two sites, a few third parties, and hostile names.
enum GraphFixture {
    static let xssHost = "<script>alert(1)</script>.example"
    static let xssCompany = "\"><img src=x onerror=alert(1)>"
    static let day0 = Date(timeIntervalSince1970: 1_793_786_400)  // 2026-11-04T10:00:00Z

    /// Last two labels: good enough for these names; the real CLI passes the Public Suffix List.
    static let siteOf: @Sendable (String) -> String? = { host in
        let labels = host.split(separator: ".")
        return labels.count >= 2 ? labels.suffix(2).joined(separator: ".") : nil
    }

    static func event(
        _ site: String?, _ host: String, day: Int = 0, tracker: Bool = true, thirdParty: Bool = true,
        company: String? = nil, categories: [String] = [], sent: [String] = [], set: [String] = [],
        classified: Bool = true
    ) -> RequestEvent {
        RequestEvent(
            time: day0.addingTimeInterval(Double(day) * 86_400), clientAddress: "127.0.0.1", method: "GET",
            scheme: "https", host: host, port: 443,
            cookiesSent: sent.map { SentCookie(name: $0, valueHash: "h", valueLength: 1) },
            cookiesSet: set.map { SetCookieObservation(name: $0, valueHash: "h", valueLength: 1) },
            classification: classified
                ? Classification(
                    // Observed through a Referer, as most decrypted subresources are.
                    firstPartySite: site, attribution: .referer, confidence: .high, isThirdParty: thirdParty,
                    isTracker: tracker, company: company,
                    categories: categories) : nil)
    }

    static let events: [RequestEvent] = [
        event("news.example", "stats.doubleclick.net", company: "Google", categories: ["advertising"], sent: ["id"]),
        event(
            "news.example", "ad.doubleclick.net", day: 1, company: "Google", categories: ["advertising"], set: ["IDE"]),
        event("news.example", "www.google-analytics.com", company: "Google", categories: ["analytics"]),
        event("blog.example", "stats.doubleclick.net", day: 2, company: "Google", categories: ["advertising"]),
        event("blog.example", "cdn.jsdelivr.net", tracker: false, categories: ["cdn"]),
        event(
            "blog.example", xssHost, company: xssCompany, categories: ["advertising", "@SUM(1+1)"], sent: ["a", "b"]),
        // Skipped: same site, unclassified, unattributed.
        event("news.example", "static.news.example", thirdParty: false),
        event("news.example", "tracker.example", classified: false),
        event(nil, "orphan.example"),
    ]
}
