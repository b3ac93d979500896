import CrumbsModel
import CrumbsStore
import Foundation
import Testing

/// The cookie heuristics' input (`cookieEvidence`) and output (`cookie_finding`) in the store.
struct CookieStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_793_786_400)  // 2026-11-04T10:00:00Z

    private func event(
        _ host: String, at offset: TimeInterval, sent: [SentCookie] = [], set: [SetCookieObservation] = [],
        tokens: [URLToken] = []
    ) -> RequestEvent {
        var event = minimalEvent(time: Self.t0.addingTimeInterval(offset))
        event.host = host
        event.kind = .request
        event.cookiesSent = sent
        event.cookiesSet = set
        event.urlTokens = tokens
        event.intercepted = true
        event.classification = Classification(
            firstPartySite: "news.example", attribution: .referer, confidence: .high, isThirdParty: true,
            company: "Tracker Co")
        return event
    }

    @Test func cookieEvidenceHoldsOnlyEventsWithCookiesOrTokensInTheRange() throws {
        let store = try EventStore.inMemory()
        let sent = event(
            "a.example", at: 1,
            sent: [
                SentCookie(name: "uid", valueHash: "aa11", valueLength: 36, entropyBits: 122, tokenHashes: ["b", "c"])
            ])
        let set = event(
            "b.example", at: 2,
            set: [
                SetCookieObservation(
                    name: "IDE", valueHash: "bb22", valueLength: 45, expires: Self.t0.addingTimeInterval(86_400),
                    secure: true, sameSite: .lax, partitioned: true, entropyBits: 200)
            ])
        let token = event(
            "c.example", at: 3, tokens: [URLToken(source: .location, host: "d.example", name: "id", valueHash: "aa11")])
        let plain = event("e.example", at: 4)
        let tooEarly = event("f.example", at: -10, sent: [SentCookie(name: "x", valueHash: "1", valueLength: 1)])
        let tooLate = event(
            "g.example", at: 100, tokens: [URLToken(source: .query, host: "g", name: "q", valueHash: "2")])
        try store.append([tooEarly, sent, plain, set, token, tooLate])

        let evidence = try store.cookieEvidence(since: Self.t0, until: Self.t0.addingTimeInterval(100))
        expectSameEvents(evidence, [sent, set, token])
        #expect(
            try store.cookieEvidence().map(\.host) == ["f.example", "a.example", "b.example", "c.example", "g.example"])
    }

    @Test func findingsOfEveryKindRoundTrip() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("f.sqlite").path
            try EventStore(path: path).replaceCookieFindings(day: "2026-11-04", report: Self.report)
            // A new store on the same file: what comes back was read from disk.
            #expect(try EventStore(path: path).cookieFindings(day: "2026-11-04") == Self.report)
        }
    }

    @Test func replacingADayDropsItsOldFindingsAndKeepsOtherDays() throws {
        let store = try EventStore.inMemory()
        try store.replaceCookieFindings(day: "2026-11-04", report: Self.report)
        try store.replaceCookieFindings(day: "2026-11-05", report: Self.report)
        let smaller = CookieReport(cookieSyncs: Self.report.cookieSyncs, eventsInspected: 3)
        try store.replaceCookieFindings(day: "2026-11-04", report: smaller)
        #expect(try store.cookieFindings(day: "2026-11-04") == smaller)
        #expect(try store.cookieFindings(day: "2026-11-05") == Self.report)
        #expect(try store.cookieFindingDays() == ["2026-11-04", "2026-11-05"])
    }

    @Test func dayNeverInspectedIsNilAndDayWithNothingFoundIsEmpty() throws {
        let store = try EventStore.inMemory()
        #expect(try store.cookieFindings(day: "2026-11-04") == nil)
        try store.replaceCookieFindings(day: "2026-11-04", report: CookieReport(eventsInspected: 12))
        let stored = try store.cookieFindings(day: "2026-11-04")
        #expect(stored?.isEmpty == true)
        #expect(stored?.eventsInspected == 12)
    }

    @Test(arguments: [
        "", "yesterday", "2026-1-04", "2026-13-01", "2026-11-32", "2026/11/04", "2026-11-04x", "٢٠٢٦-١١-٠٤",
    ])
    func malformedDayIsRefusedWithAClearError(day: String) throws {
        let store = try EventStore.inMemory()
        let error = #expect(throws: StoreError.self) {
            try store.replaceCookieFindings(day: day, report: CookieReport())
        }
        #expect(error?.description.contains("YYYY-MM-DD") == true)
        #expect(throws: StoreError.self) { try store.cookieFindings(day: day) }
        #expect(try store.cookieFindingDays().isEmpty)
    }

    /// One finding of each kind, with hostile names and every lifetime form.
    static let report = CookieReport(
        thirdPartyCookies: [
            CookieReport.ThirdPartyCookie(
                party: "doubleclick.net", name: "IDE", company: "Google", setCount: 2, sentCount: 7, firstPartySites: 3,
                secure: true, httpOnly: true, sameSite: SetCookieObservation.SameSite.none, partitioned: true,
                lifetime: .days(395.25), tracker: true),
            CookieReport.ThirdPartyCookie(party: "192.0.2.7", name: "a b;\"c'\n", lifetime: .session),
            CookieReport.ThirdPartyCookie(party: "cdn.example", name: "", sentCount: 1, lifetime: .unknown),
        ],
        identifierCookies: [
            CookieReport.IdentifierCookie(
                party: "news.example", name: "_ga", reason: .resentAcrossDays, thirdParty: false, lifetime: .unknown,
                daysSent: 4, firstPartySites: 1, events: 9, valueHashes: ["0a", "1b"]),
            CookieReport.IdentifierCookie(
                party: "doubleclick.net", name: "IDE", company: "Google", reason: .longLived, thirdParty: true,
                lifetime: .days(395), daysSent: 0, firstPartySites: 2, events: 2, valueHashes: ["ff"]),
        ],
        crossSiteIdentifiers: [
            CookieReport.CrossSiteIdentifier(
                party: "doubleclick.net", name: "IDE", company: nil, sites: ["a,b.example", "news.example"], count: 5,
                valueHash: "ff")
        ],
        identifierLeaks: [
            CookieReport.IdentifierTransfer(
                cookieName: "_ga", fromParty: "news.example", toParty: "google-analytics.com", parameter: "cid",
                via: .query, count: 2, valueHashes: ["0a", "1b", "2c"])
        ],
        cookieSyncs: [
            CookieReport.IdentifierTransfer(
                cookieName: "IDE", fromParty: "doubleclick.net", toParty: "adnxs.com", parameter: "<google_id>&x=\"1\"",
                via: .location, count: 1, valueHashes: ["ff"]),
            CookieReport.IdentifierTransfer(
                cookieName: "uuid2", fromParty: "adnxs.com", toParty: "criteo.com", parameter: "uid", via: .referer,
                count: 3, valueHashes: ["ee"]),
        ],
        eventsInspected: 42)
}
