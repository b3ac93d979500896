import CrumbsModel
import CrumbsStore
import Foundation
import Testing

/// The SQL aggregates over the fixture store, checked number by number.
struct ActivityTests {
    private func dayActivity() throws -> ActivitySummary {
        try DigestFixture.withStore { store, _ in
            let interval = DigestFixture.day.interval(in: DigestFixture.zone)
            return try store.activity(since: interval.start, until: interval.end)
        }
    }

    @Test func totalsCountOnlyConfidentTrafficForSitesCompaniesAndTrackers() throws {
        let activity = try dayActivity()
        #expect(
            activity.totals == ActivityTotals(requests: 16, pages: 5, sites: 3, companies: 4, trackerRequests: 7))
    }

    @Test func sitesAreOrderedByPagesThenRequests() throws {
        let activity = try dayActivity()
        #expect(
            activity.sites == [
                SiteActivity(site: "news.example", pages: 2, requests: 6, thirdPartyRequests: 4, trackerRequests: 3),
                SiteActivity(site: "shop.example", pages: 2, requests: 4, thirdPartyRequests: 2, trackerRequests: 2),
                SiteActivity(site: "blog.example", pages: 1, requests: 3, thirdPartyRequests: 2, trackerRequests: 2),
            ])
    }

    @Test func companyReachListsSitesCategoriesAndTrackerHosts() throws {
        let alphabet = try #require(try dayActivity().companies.first)
        #expect(
            alphabet
                == CompanyActivity(
                    name: "Alphabet", sites: ["blog.example", "news.example", "shop.example"], requests: 4,
                    trackerRequests: 4, categories: ["advertising", "analytics"],
                    trackerHosts: ["securepubads.doubleclick.net", "www.google-analytics.com"]))
    }

    @Test func newMeansNeverSeenBeforeTheRange() throws {
        let activity = try dayActivity()
        #expect(activity.hasEarlierData)
        #expect(activity.newCompanies == ["Criteo", DigestFixture.hostileCompany, "Meta"])
        #expect(activity.newTrackerHosts == [DigestFixture.hostileHost, "connect.facebook.net", "static.criteo.net"])
    }

    @Test func lowConfidenceAndUnattributedTrafficIsCountedApart() throws {
        let caveat = try dayActivity().caveat
        #expect(
            caveat
                == AttributionCaveat(
                    lowConfidenceRequests: 1, lowConfidenceTrackerRequests: 1, unattributedRequests: 2,
                    unattributedTrackerRequests: 1, companies: [CompanyCount(name: "Tracker Inc", requests: 2)]))
    }

    @Test func hourlyCoversEveryHourOfTheLocalDay() throws {
        let hourly = try dayActivity().hourly
        #expect(hourly.count == 24)
        #expect(hourly.map(\.requests).reduce(0, +) == 16)
        #expect(hourly[8] == HourActivity(hour: 8, requests: 4, trackerRequests: 2))
        #expect(hourly[21] == HourActivity(hour: 21, requests: 4, trackerRequests: 3))
        #expect(hourly[23] == HourActivity(hour: 23, requests: 2, trackerRequests: 1))
    }

    @Test func aDayWithDaylightSavingChangeHas25Hours() throws {
        let store = try EventStore.inMemory()
        let fallBack = Day(year: 2026, month: 11, day: 1).interval(in: DigestFixture.zone)
        #expect(try store.activity(since: fallBack.start, until: fallBack.end).hourly.count == 25)
    }

    @Test func theFirstRecordedDayHasNoEarlierDataAndEverythingIsNew() throws {
        try DigestFixture.withStore { store, _ in
            let firstDay = DigestFixture.day.adding(days: -2).interval(in: DigestFixture.zone)
            let activity = try store.activity(since: firstDay.start, until: firstDay.end)
            #expect(!activity.hasEarlierData)
            #expect(activity.newCompanies == ["Alphabet"])
            #expect(activity.newTrackerHosts == ["www.google-analytics.com"])
            let first = try #require(try store.firstEventTime())
            #expect(abs(first.timeIntervalSince(DigestFixture.time(9, dayOffset: -2))) < 1e-3)
        }
    }

    @Test func anEmptyStoreGivesZeroTotals() throws {
        let store = try EventStore.inMemory()
        let interval = DigestFixture.day.interval(in: DigestFixture.zone)
        #expect(try store.totals(since: interval.start, until: interval.end) == ActivityTotals())
        #expect(try store.firstEventTime() == nil)
    }
}

/// The range-scan read of cookie evidence returns exactly the events with cookies or tokens.
struct CookieEvidenceTests {
    @Test func evidenceIsEveryEventWithCookiesOrTokensEvenOnesRecordedLate() throws {
        try DigestFixture.withStore { store, _ in
            // A tunnel that ends after the next day began is recorded then, with its start time.
            var late = DigestFixture.thirdParty(
                "late.tracker.example", on: "news.example", at: DigestFixture.time(23, 30), company: nil,
                sent: [SentCookie(name: "late", valueHash: "hash-late", valueLength: 20, entropyBits: 60)])
            late.kind = .tunnel
            try store.append([late])
            let interval = DigestFixture.day.interval(in: DigestFixture.zone)
            // The oracle: every event of the day, filtered in Swift.
            let expected = try store.events(since: interval.start, until: interval.end).filter {
                !$0.cookiesSent.isEmpty || !$0.cookiesSet.isEmpty || !$0.urlTokens.isEmpty
            }
            let got = try store.cookieEvidence(since: interval.start, until: interval.end)
            #expect(got == expected)
            #expect(got.count == 5)
            #expect(got.last?.host == "late.tracker.example")
            let empty = Day(year: 2020, month: 1, day: 1).interval(in: DigestFixture.zone)
            #expect(try store.cookieEvidence(since: empty.start, until: empty.end).isEmpty)
        }
    }
}
