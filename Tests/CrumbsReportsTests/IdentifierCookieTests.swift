import CrumbsModel
import CrumbsReports
import Foundation
import Testing

/// The identifier rule (Englehardt et al. 2015/2016, adapted to one browser): 8–100 characters,
/// estimated entropy at least `minimumEntropyBits`, and either a lifetime of at least 90 days or
/// the same value sent on two or more days.
struct IdentifierCookieTests {
    let f = CookieFixture.self
    static let twoYears = "Max-Age=63072000"

    private func identifiers(setting value: String, lifetime: String = twoYears) -> [CookieReport.IdentifierCookie] {
        f.inspector.inspect([
            f.event(page: "news.example", "https://t.tracker.example/", setCookies: ["uid=\(value); \(lifetime)"])
        ]).identifierCookies
    }

    @Test(arguments: [
        CookieFixture.uuid, CookieFixture.ga, CookieFixture.ide, "445d44b73d757f49", "qVpCoKyOBZkM",
        "fb.1.1732461234567.1234567890",
    ])
    func longLivedRandomValueIsAnIdentifier(value: String) {
        let found = identifiers(setting: value)
        #expect(found.map(\.name) == ["uid"])
        #expect(found.first?.reason == .longLived)
        #expect(found.first?.thirdParty == true)
    }

    @Test(arguments: [
        "true", "1", "", "1700000000", "1732467123", "1732467123456", "en-US", "en_US.UTF-8", "accepted_all",
        "country=DE", "2026-11-24", "dismiss", "aaaaaaaaaaaaaaaaaaaa", "abababababababab",
        String(repeating: "0123456789abcdefghij", count: 6),
    ])
    func flagsTimestampsLocalesAndLongBlobsAreNotIdentifiers(value: String) {
        #expect(identifiers(setting: value).isEmpty)
    }

    @Test func calibrationValuesScoreOnTheExpectedSideOfTheThreshold() {
        let threshold = CookieInspector.minimumEntropyBits
        #expect(IdentifierTokens.entropyBits(of: "1732467123456") < threshold)
        #expect(IdentifierTokens.entropyBits(of: "en_US.UTF-8") < threshold)
        #expect(IdentifierTokens.entropyBits(of: "445d44b73d757f49") >= threshold)
        #expect(IdentifierTokens.entropyBits(of: Substring(CookieFixture.ga)) >= threshold)
    }

    @Test func lifetimeOfNinetyDaysIsTheBoundary() {
        #expect(identifiers(setting: f.uuid, lifetime: "Max-Age=\(90 * 86_400)").count == 1)
        #expect(identifiers(setting: f.uuid, lifetime: "Max-Age=\(89 * 86_400)").isEmpty)
    }

    @Test func shortLivedCookieResentOnManyDaysIsNotAnIdentifier() {
        let events =
            [
                f.event(
                    page: "news.example", "https://t.tracker.example/", setCookies: ["uid=\(f.uuid); Max-Age=2592000"])
            ]
            + (1...3).map {
                f.event(page: "news.example", "https://t.tracker.example/", day: Double($0), cookie: "uid=\(f.uuid)")
            }
        #expect(f.inspector.inspect(events).identifierCookies.isEmpty)
    }

    @Test func sessionCookieSentWithOneValueOnTwoDaysIsAnIdentifier() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://t.tracker.example/", setCookies: ["sid=\(f.uuid)"]),
            f.event(page: "news.example", "https://t.tracker.example/", day: 0.1, cookie: "sid=\(f.uuid)"),
            f.event(page: "blog.example", "https://t.tracker.example/", day: 1, cookie: "sid=\(f.uuid)"),
        ])
        #expect(
            report.identifierCookies == [
                CookieReport.IdentifierCookie(
                    party: "tracker.example", name: "sid", reason: .resentAcrossDays, thirdParty: true,
                    lifetime: .session, daysSent: 2, firstPartySites: 2, events: 3,
                    valueHashes: [f.hash(Substring(f.uuid))])
            ])
    }

    @Test func sessionCookieSentOnlyOnOneDayIsNotAnIdentifier() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://t.tracker.example/", setCookies: ["sid=\(f.uuid)"]),
            f.event(page: "news.example", "https://t.tracker.example/", day: 0.2, cookie: "sid=\(f.uuid)"),
            f.event(page: "news.example", "https://t.tracker.example/", day: 0.4, cookie: "sid=\(f.uuid)"),
        ])
        #expect(report.identifierCookies.isEmpty)
    }

    @Test func sessionValueThatChangesEveryDayIsNotAnIdentifier() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://t.tracker.example/", cookie: "sid=\(f.uuid)"),
            f.event(page: "news.example", "https://t.tracker.example/", day: 1, cookie: "sid=\(f.ide)"),
        ])
        #expect(report.identifierCookies.isEmpty)
    }

    @Test func firstPartyCookieSetByScriptAndSentOnTwoDaysIsAnIdentifier() {
        let report = f.inspector.inspect([
            f.event(page: "news.example", "https://www.news.example/", cookie: "_ga=\(f.ga); lang=en"),
            f.event(page: "news.example", "https://www.news.example/a", day: 3, cookie: "_ga=\(f.ga); lang=en"),
        ])
        let found = report.identifierCookies
        #expect(found.map(\.name) == ["_ga"])
        #expect(found.first?.thirdParty == false)
        #expect(found.first?.lifetime == .unknown)
        #expect(found.first?.reason == .resentAcrossDays)
        #expect(report.thirdPartyCookies.isEmpty)
    }

    @Test func daysFollowTheInspectorsTimeZone() {
        // 10:00Z and 23:00Z fall on one UTC day, but on two days in UTC+12.
        let events = [
            f.event(page: "news.example", "https://t.tracker.example/", cookie: "sid=\(f.uuid)"),
            f.event(page: "news.example", "https://t.tracker.example/", day: 13.0 / 24, cookie: "sid=\(f.uuid)"),
        ]
        #expect(f.inspector.inspect(events).identifierCookies.isEmpty)
        let auckland = CookieInspector(timeZone: TimeZone(secondsFromGMT: 12 * 3600)!, siteOf: f.siteOf)
        #expect(auckland.inspect(events).identifierCookies.count == 1)
    }
}
