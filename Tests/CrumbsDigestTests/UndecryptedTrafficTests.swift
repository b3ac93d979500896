import CrumbsLists
import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation
import Testing

@testable import crumbs

/// Without decryption, HTTPS traffic is tunnels whose pages are guesses: the headline never
/// counts them as visits, and the digest says how many there were, whose, and how to see them.
struct UndecryptedTrafficTests {
    typealias F = DigestFixture

    static func tunnel(_ host: String, at time: Date, company: String?, page: String?) -> RequestEvent {
        var event = RequestEvent(
            time: time, clientAddress: "127.0.0.1", kind: .tunnel, method: "CONNECT", scheme: "https", host: host,
            port: 443)
        event.classification = Classification(
            firstPartySite: page, attribution: page == nil ? .unattributed : .inferredNavigation,
            confidence: page == nil ? .none : .low, isThirdParty: page != nil && company != nil,
            isTracker: company != nil, company: company)
        return event
    }

    /// A browse through tunnels only: two inferred pages, their trackers, one http page.
    static let events: [RequestEvent] = [
        F.page("plain.example", at: F.time(9)),
        tunnel("www.shop.example", at: F.time(10), company: nil, page: "shop.example"),
        tunnel("www.google-analytics.com", at: F.time(10, 1), company: "Google", page: "shop.example"),
        tunnel("connect.facebook.net", at: F.time(10, 2), company: "Meta", page: "shop.example"),
        tunnel("www.google-analytics.com", at: F.time(11), company: "Google", page: nil),
    ]

    func digest() throws -> Digest {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-undecrypted-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
        try store.append(Self.events)
        let period = DigestPeriod(day: F.day, today: F.day.adding(days: 1), timeZone: F.zone)
        return try DigestQuery.digest(store: store, period: period, timeZone: F.zone) { PublicSuffixList.builtIn }
    }

    @Test func theHeadlineCountsObservedVisitsOnlyAndNamesTheTunnelsApart() throws {
        let digest = try digest()
        #expect(digest.totals.sites == 1)
        #expect(digest.headline.hasPrefix("Yesterday you visited 1 site."))
        #expect(
            digest.headline.hasSuffix(
                "Crumbs also relayed 4 HTTPS connections without decrypting them, so their pages are unknown and not counted here."
            ))
    }

    @Test func theCaveatSaysWhoseConnectionsAndHowToSeeThem() throws {
        let digest = try digest()
        #expect(digest.caveat.undecryptedConnections == 4 && digest.caveat.undecryptedTrackerConnections == 3)
        #expect(
            digest.caveat.undecryptedCompanies == [
                CompanyCount(name: "Google", requests: 2), CompanyCount(name: "Meta", requests: 1),
            ])
        // The navigation tunnel names a site probably visited; the http page is an observed visit.
        #expect(digest.caveat.guessedSites == ["shop.example"])
        let text = digest.rendered(as: .markdown)
        #expect(
            text.contains("Sites these connections suggest you visited (guesses, not counted as visits): shop.example.")
        )
        #expect(text.contains("4 HTTPS connections (3 to trackers) went through Crumbs without decryption"))
        #expect(text.contains("Companies behind them: Google (2), Meta (1)."))
        #expect(text.contains("install the Crumbs certificate, and restart Crumbs with --intercept."))
    }
}
