import CrumbsModel
import CrumbsReports
import Foundation
import Testing

/// Cross-site identifiers: one third-party cookie value sent from two or more first-party sites.
struct CrossSiteIdentifierTests {
    let f = CookieFixture.self

    @Test func oneValueSentFromTwoSitesIsACrossSiteIdentifier() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://ad.doubleclick.net/a", cookie: "IDE=\(f.ide)", company: "Google"),
            f.event(page: "blog.example", "https://ad.doubleclick.net/b", day: 1, cookie: "IDE=\(f.ide)"),
            f.event(page: "blog.example", "https://stats.doubleclick.net/c", day: 1, cookie: "IDE=\(f.ide)"),
        ])
        #expect(
            report.crossSiteIdentifiers == [
                CookieReport.CrossSiteIdentifier(
                    party: "doubleclick.net", name: "IDE", company: "Google", sites: ["blog.example", "news.example"],
                    count: 3, valueHash: f.hash(Substring(f.ide)))
            ])
    }

    @Test func partitionedValuesThatDifferPerSiteAreNotShared() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://embed.widget.example/", cookie: "p=\(f.uuid)"),
            f.event(page: "blog.example", "https://embed.widget.example/", cookie: "p=\(f.ide)"),
        ])
        #expect(report.crossSiteIdentifiers.isEmpty)
    }

    @Test func valueSeenOnOneSiteOnlyIsNotCrossSite() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://ad.doubleclick.net/a", cookie: "IDE=\(f.ide)"),
            f.event(page: "news.example", "https://ad.doubleclick.net/a", day: 2, cookie: "IDE=\(f.ide)"),
        ])
        #expect(report.crossSiteIdentifiers.isEmpty)
    }

    @Test func predictableValueFromManySitesIsNotAnIdentifier() {
        let report = f.inspector.inspect(
            ["a.example", "b.example", "c.example"].map {
                f.event(page: $0, "https://consent.cmp.example/", cookie: "consent=accepted_all; empty=")
            })
        #expect(report.crossSiteIdentifiers.isEmpty)
        #expect(report.thirdPartyCookies.map(\.firstPartySites) == [3, 3])
    }

    @Test func firstPartyAndSameOwnerRequestsDoNotMakeAValueCrossSite() {
        let report = f.inspector.inspect([
            f.event(page: "facebook.com", "https://www.facebook.com/", cookie: "c_user=\(f.uuid)"),
            f.event(page: "instagram.com", "https://www.facebook.com/x", cookie: "c_user=\(f.uuid)", sameOwner: true),
        ])
        #expect(report.crossSiteIdentifiers.isEmpty)
    }
}
