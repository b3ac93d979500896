import CrumbsModel
import CrumbsReports
import Foundation
import Testing

/// Identifier leaks (a cookie value in another party's URL) and cookie syncing (a tracker's
/// identifier in another tracker's URL, Acar et al. 2014).
struct IdentifierTransferTests {
    let f = CookieFixture.self

    /// The page sends its `_ga` to itself; the analytics beacon carries the client id part as `cid`.
    @Test func gaClientIDInAnAnalyticsBeaconIsALeak() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://www.news.example/", cookie: "_ga=\(f.ga)"),
            f.event(page: "news.example", "https://www.google-analytics.com/g/collect?v=2&cid=\(f.gaClientID)&en=x"),
            f.event(page: "news.example", "https://www.google-analytics.com/g/collect?v=2&cid=\(f.gaClientID)&en=y"),
        ])
        #expect(report.identifierLeaks.count == 1)
        let leak = report.identifierLeaks.first
        #expect(leak?.cookieName == "_ga" && leak?.parameter == "cid" && leak?.via == .query)
        #expect(leak?.fromParty == "news.example" && leak?.toParty == "google-analytics.com")
        #expect(leak?.count == 2)
        // The whole client id; its two parts (ten-digit numbers) are too predictable to be hashed.
        #expect(leak?.valueHashes == [f.hash(Substring(f.gaClientID))])
        #expect(report.cookieSyncs.isEmpty)
    }

    /// Tracker A (doubleclick) redirects to tracker B (adnxs) with its own id in the Location URL.
    @Test func redirectCarryingATrackersIDToAnotherTrackerIsASync() {
        let report = f.inspector.inspect([
            f.event(
                page: "news.example", "https://cm.doubleclick.net/pixel?google_nid=1", cookie: "IDE=\(f.ide)",
                location: "https://ib.adnxs.com/setuid?entity=1&google_id=\(f.ide)")
        ])
        #expect(
            report.cookieSyncs == [
                CookieReport.IdentifierTransfer(
                    cookieName: "IDE", fromParty: "doubleclick.net", toParty: "adnxs.com", parameter: "google_id",
                    via: .location, count: 1, valueHashes: [f.hash(Substring(f.ide))])
            ])
        #expect(report.identifierLeaks.isEmpty)
    }

    @Test func trackersIDInAnotherTrackersQueryOrRefererIsASync() {
        let report = f.inspector.inspect([
            f.event(
                page: "news.example", "https://ib.adnxs.com/getuid", setCookies: ["uuid2=\(f.adnxs); Max-Age=7776000"]),
            f.event(page: "blog.example", "https://pixel.rubiconproject.com/sync?anid=\(f.adnxs)"),
            f.event(
                page: "blog.example", "https://match.criteo.com/x",
                referer: "https://acdn.adnxs.com/frame.html?uid=\(f.adnxs)"),
        ])
        #expect(report.cookieSyncs.map(\.toParty) == ["criteo.com", "rubiconproject.com"])
        #expect(report.cookieSyncs.map(\.via) == [.referer, .query])
        #expect(report.cookieSyncs.map(\.parameter) == ["uid", "anid"])
        #expect(report.cookieSyncs.allSatisfy { $0.fromParty == "adnxs.com" && $0.cookieName == "uuid2" })
    }

    @Test func trackersIDSentToThePageItselfIsALeakNotASync() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://ib.adnxs.com/getuid", cookie: "uuid2=\(f.adnxs)"),
            f.event(page: "news.example", "https://www.news.example/landing?xid=\(f.adnxs)"),
        ])
        #expect(report.cookieSyncs.isEmpty)
        #expect(report.identifierLeaks.map(\.toParty) == ["news.example"])
    }

    @Test func valueSentBackToItsOwnPartyIsNoTransfer() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://ad.doubleclick.net/a", cookie: "IDE=\(f.ide)"),
            f.event(page: "news.example", "https://stats.doubleclick.net/b?id=\(f.ide)"),
        ])
        #expect(report.identifierLeaks.isEmpty && report.cookieSyncs.isEmpty)
    }

    @Test func partiesOfOneCompanyDoNotCountAsDifferent() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://ad.doubleclick.net/a", cookie: "IDE=\(f.ide)", company: "Google"),
            f.event(page: "news.example", "https://www.google-analytics.com/c?x=\(f.ide)", company: "Google"),
        ])
        #expect(report.identifierLeaks.isEmpty && report.cookieSyncs.isEmpty)
    }

    @Test func classifiedSameOwnerPairIsNotALeak() {
        let report = f.inspector.inspect([
            f.event(page: "facebook.com", "https://www.facebook.com/", cookie: "c_user=\(f.uuid)"),
            f.event(page: "facebook.com", "https://static.fbcdn.net/p.gif?u=\(f.uuid)", sameOwner: true),
        ])
        #expect(report.identifierLeaks.isEmpty && report.cookieSyncs.isEmpty)
    }

    @Test func predictableValuesAreNotFollowedIntoURLs() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://www.news.example/", cookie: "lang=en_US.UTF-8; ts=1732467123456"),
            f.event(page: "news.example", "https://cdn.other.example/x?l=en_US.UTF-8&t=1732467123456"),
        ])
        #expect(report.identifierLeaks.isEmpty)
    }

    @Test func aValueMatchedByItsWholeAndItsPartsCountsOncePerRequest() {
        // The beacon carries the whole `_ga` value: its tokens match the cookie's value and parts.
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://www.news.example/", cookie: "_ga=\(f.ga)"),
            f.event(page: "news.example", "https://collect.tracker.example/p?ga=\(f.ga)"),
        ])
        #expect(report.identifierLeaks.map(\.count) == [1])
        #expect(report.identifierLeaks.first?.valueHashes.count ?? 0 > 1)
    }

    @Test func partSharedByTheCookiesOfManyPartiesIsNotFollowed() {
        // Four sites' `_ga` cookies created in the same second share their timestamp part.
        let ids = ["873245019", "112233445", "998877665", "564738291"]
        let pages = ids.indices.map { "site\($0).example" }
        let cookies = zip(pages, ids).map { page, id in
            f.event(page: page, "https://www.\(page)/", cookie: "_ga=GA1.2.\(id).1732461234")
        }
        let beacon = f.event(page: pages[0], "https://www.google-analytics.com/c?cid=\(ids[0]).1732461234")
        let report = f.inspector.inspect(cookies + [beacon])
        #expect(report.identifierLeaks.map(\.fromParty) == ["site0.example"])
        // The whole client id; not the timestamp that all four share (nor the nine-digit random
        // part, too short to be hashed).
        #expect(report.identifierLeaks.first?.valueHashes.count == 1)
        #expect(report.identifierLeaks.first?.valueHashes.contains(f.hash("1732461234")) == false)
    }

    @Test func unclassifiedEventsStillShowLeaksBetweenParties() {
        // Leaks need no first-party attribution: the parties come from host names alone.
        let report = f.inspector.inspect([
            f.event(page: nil, "https://www.news.example/", cookie: "_ga=\(f.ga)", classified: false),
            f.event(page: nil, "https://www.google-analytics.com/collect?cid=\(f.gaClientID)", classified: false),
        ])
        #expect(report.identifierLeaks.map(\.fromParty) == ["news.example"])
        #expect(report.cookieSyncs.isEmpty)
    }

    // MARK: - Timestamps and prefixes

    /// `fr` and `_ga` both carry the current time as a dot-separated part; in milliseconds it
    /// passes the entropy floor. A shared timestamp is no identifier: no sync, no leak.
    @Test func aSharedTimestampIsNotASync() {
        let millis = String(Int(f.day0.timeIntervalSince1970 * 1000) + 123)
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://www.facebook.com/tr?id=1", cookie: "fr=0xYzAbC.\(millis).0.0"),
            f.event(
                page: "news.example", "https://www.google-analytics.com/g/collect?v=2&_s=1&tt=\(millis)",
                cookie: "_ga=GA1.1.\(millis)"),
        ])
        #expect(report.cookieSyncs.isEmpty && report.identifierLeaks.isEmpty, "\(report.cookieSyncs)")
    }

    /// The same millisecond number far from the event's time is not read as a timestamp.
    @Test func aNumberFarFromTheEventTimeStaysACandidate() {
        let farAway = Substring("9876543210123")
        #expect(IdentifierTokens.mayBeIdentifier(farAway, at: f.day0))
        let now = Substring(String(Int(f.day0.timeIntervalSince1970 * 1000) + 987))
        #expect(IdentifierTokens.looksLikeTimestamp(now, near: f.day0))
        #expect(!IdentifierTokens.mayBeIdentifier(now, at: f.day0))
    }

    /// A sync that passes only the first 16 characters of Google's `IDE` value is still a sync.
    @Test func aLongPrefixOfAnIdentifierIsFollowed() {
        let prefix = String(f.ide.prefix(16))
        let report = f.inspector.inspect([
            f.event(
                page: "news.example", "https://cm.doubleclick.net/pixel?google_nid=1", cookie: "IDE=\(f.ide)",
                location: "https://sync.partner.example/match?code=\(prefix)")
        ])
        #expect(report.cookieSyncs.map(\.toParty) == ["partner.example"])
        #expect(report.cookieSyncs.first?.parameter == "code")
        #expect(report.cookieSyncs.first?.valueHashes == [f.hash(Substring(prefix))])
    }

    /// A prefix too short to name anyone (8 characters) is not followed.
    @Test func aShortPrefixIsNotFollowed() {
        let report = f.inspector.inspect([
            f.event(
                page: "news.example", "https://cm.doubleclick.net/pixel?google_nid=1", cookie: "IDE=\(f.ide)",
                location: "https://sync.partner.example/match?code=\(f.ide.prefix(10))")
        ])
        #expect(report.cookieSyncs.isEmpty)
    }
}
