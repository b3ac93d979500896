import CrumbsModel
import CrumbsReports
import Foundation
import Testing

/// Network-derived names (hosts, companies) appear as text in every format, never as markup or
/// terminal control sequences.
struct DigestEscapingTests {
    /// A one-site digest whose only third party has `host` and `company`.
    private func digest(host: String, company: String) -> Digest {
        let interval = DigestFixture.day.interval(in: DigestFixture.zone)
        let summary = ActivitySummary(
            interval: interval,
            totals: ActivityTotals(requests: 2, pages: 1, sites: 1, companies: 1, trackerRequests: 1),
            sites: [SiteActivity(site: "a.example", pages: 1, requests: 2, thirdPartyRequests: 1, trackerRequests: 1)],
            companies: [
                CompanyActivity(
                    name: company, sites: ["a.example"], requests: 1, trackerRequests: 1, categories: ["social"],
                    trackerHosts: [host])
            ],
            thirdParties: [
                ThirdPartyUse(
                    site: "a.example", host: host, company: company, categories: ["social"], requests: 1,
                    isTracker: true)
            ],
            newCompanies: [company], newTrackerHosts: [host], hasEarlierData: true, caveat: AttributionCaveat(),
            hourly: [])
        return Digest(
            summary: summary,
            period: DigestPeriod(day: DigestFixture.day, today: DigestFixture.day, timeZone: DigestFixture.zone),
            previousDay: nil, previousWeek: [])
    }

    @Test func htmlShowsAScriptTagHostAsText() {
        let html = digest(host: DigestFixture.hostileHost, company: "\"><img src=x onerror=alert(1)>")
            .rendered(as: .html)
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;.example"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
    }

    @Test func markdownEscapesMarkupInNames() {
        let markdown = digest(host: DigestFixture.hostileHost, company: "a|b *c* [d](e)").rendered(as: .markdown)
        // Every "<" is backslash-escaped, so no HTML tag survives a markdown-to-HTML conversion.
        #expect(markdown.ranges(of: "<").allSatisfy { markdown[..<$0.lowerBound].hasSuffix("\\") })
        #expect(markdown.contains("<"))
        #expect(markdown.contains("\\<script\\>alert(1)\\</script\\>.example"))
        // A pipe in a name must not open a new table column.
        #expect(markdown.contains("a\\|b \\*c\\* \\[d\\](e)"))
    }

    @Test func textDropsTerminalControlSequences() {
        let text = digest(host: "evil.example\u{1B}]0;owned\u{07}", company: "Co\u{1B}[2J").rendered(as: .text)
        #expect(!text.contains("\u{1B}"))
        #expect(!text.contains("\u{07}"))
        #expect(text.contains("evil.example]0;owned"))
    }

    @Test func jsonKeepsNamesExactlyAsData() throws {
        let json = digest(host: DigestFixture.hostileHost, company: "x").rendered(as: .json)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(Digest.self, from: Data(json.utf8)).new.trackerHosts == [DigestFixture.hostileHost])
    }
}
