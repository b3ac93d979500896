import CrumbsModel
import CrumbsReports
import Foundation
import Testing

/// Third-party cookies: set on, or sent with, requests the classifier called third party.
struct ThirdPartyCookieTests {
    let f = CookieFixture.self

    @Test func thirdPartySetCookieKeepsItsAttributesAndLifetime() {
        let report = f.inspector.inspect([
            f.event(
                page: "news.example", "https://ad.doubleclick.net/pixel",
                setCookies: ["IDE=\(f.ide); Max-Age=34128000; Path=/; Secure; HttpOnly; SameSite=None; Partitioned"],
                company: "Google", tracker: true)
        ])
        #expect(
            report.thirdPartyCookies == [
                CookieReport.ThirdPartyCookie(
                    party: "doubleclick.net", name: "IDE", company: "Google", setCount: 1, sentCount: 0,
                    firstPartySites: 1, secure: true, httpOnly: true, sameSite: SetCookieObservation.SameSite.none,
                    partitioned: true, lifetime: .days(395), tracker: true)
            ])
    }

    @Test func sentCookieCountsRequestsAndDistinctSites() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://ad.doubleclick.net/a", cookie: "IDE=\(f.ide); id=x"),
            f.event(page: "news.example", "https://stats.doubleclick.net/b", cookie: "IDE=\(f.ide)"),
            f.event(page: "blog.example", "https://ad.doubleclick.net/c", day: 1, cookie: "IDE=\(f.ide); IDE=2"),
        ])
        let ide = report.thirdPartyCookies.first { $0.name == "IDE" }
        #expect(ide?.sentCount == 3)
        #expect(ide?.setCount == 0)
        #expect(ide?.firstPartySites == 2)
        #expect(ide?.lifetime == .unknown)
        #expect(report.thirdPartyCookies.map(\.name) == ["IDE", "id"])
    }

    @Test func firstPartySameOwnerAndUnclassifiedCookiesAreLeftOut() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://www.news.example/", cookie: "session=\(f.uuid)"),
            f.event(page: "facebook.com", "https://static.fbcdn.net/x", cookie: "c=\(f.uuid)", sameOwner: true),
            f.event(page: "news.example", "https://ad.doubleclick.net/", cookie: "IDE=\(f.ide)", classified: false),
            f.event(page: nil, "https://ad.doubleclick.net/", cookie: "IDE=\(f.ide)"),
        ])
        #expect(report.thirdPartyCookies.isEmpty)
        #expect(report.eventsInspected == 4)
    }

    @Test func sessionCookieWithoutExpiryHasSessionLifetime() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://cdn.tracker.example/", setCookies: ["sid=\(f.uuid); Secure"])
        ])
        #expect(report.thirdPartyCookies.first?.lifetime == .session)
        #expect(report.thirdPartyCookies.first?.secure == true)
    }

    @Test func deletionDoesNotHideTheAttributesOfTheCookieItDeleted() {
        let report = f.inspector.inspect([
            f.event(
                page: "news.example", "https://t.tracker.example/", setCookies: ["uid=\(f.uuid); Max-Age=86400; Secure"]
            ),
            f.event(page: "news.example", "https://t.tracker.example/", day: 0.5, setCookies: ["uid=; Max-Age=0"]),
        ])
        let uid = report.thirdPartyCookies.first
        #expect(uid?.setCount == 2)
        #expect(uid?.secure == true)
        #expect(uid?.lifetime == .days(1))
    }

    @Test func onlyDeletedCookieHasANonPositiveLifetime() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://t.tracker.example/", setCookies: ["uid=; Max-Age=0"])
        ])
        guard case .days(let days) = report.thirdPartyCookies.first?.lifetime else {
            Issue.record("expected a lifetime in days")
            return
        }
        #expect(days <= 0)
    }

    @Test func eventsWithoutCookiesOrTokensAreNotInspected() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://ad.doubleclick.net/x"),
            RequestEvent(
                time: f.day0, clientAddress: "::1", method: "CONNECT", scheme: "https", host: "a.b", port: 443),
        ])
        #expect(report.eventsInspected == 0)
        #expect(report.isEmpty)
    }

    @Test func reportEncodesNoCookieValue() throws {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://www.news.example/", cookie: "_ga=\(f.ga)"),
            f.event(page: "news.example", "https://www.news.example/", day: 1, cookie: "_ga=\(f.ga)"),
            f.event(page: "news.example", "https://www.google-analytics.com/collect?v=1&cid=\(f.gaClientID)"),
        ])
        #expect(!report.identifierLeaks.isEmpty)
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(!json.contains(f.gaClientID) && !json.contains("873245019"))
        #expect(try JSONDecoder().decode(CookieReport.self, from: Data(json.utf8)) == report)
    }
}
