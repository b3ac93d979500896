import CrumbsIngest
import CrumbsLists
import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation
import Testing

/// What each `record =` level leaves the digest (README, "Retention, forgetting, privacy levels
/// and devices"): the fixture's day stored at each level, then digested.
struct PrivacyLevelDigestTests {
    static func digest(_ record: StoragePolicy.Record) throws -> Digest {
        let policy = StoragePolicy(
            record: record, clients: .addresses, hasher: CookieHasher(secret: Data(repeating: 3, count: 32)),
            siteResolver: PublicSuffixList.builtIn)
        let store = try EventStore.inMemory()
        try store.append(
            DigestFixture.events.map { event in
                var reduced = event
                policy.reduce(&reduced)
                return reduced
            })
        let period = DigestPeriod(
            day: DigestFixture.day, today: DigestFixture.day.adding(days: 1), timeZone: DigestFixture.zone)
        return try DigestQuery.digest(store: store, period: period, timeZone: DigestFixture.zone) {
            PublicSuffixList.builtIn
        }
    }

    @Test func hostsFillsEverySectionAsFullDoes() throws {
        let full = try Self.digest(.full)
        #expect(full.cookies != nil, "the fixture has cookies: the comparison would prove little")
        #expect(try Self.digest(.hosts) == full, "the digest never shows paths")
    }

    @Test func sitesKeepsSitesCompaniesAndTrackersButNotCookiesOrHosts() throws {
        let full = try Self.digest(.full)
        let sites = try Self.digest(.sites)
        #expect(sites.totals == full.totals)
        #expect(sites.headline == full.headline)
        #expect(sites.companies.map(\.name) == full.companies.map(\.name))
        #expect(sites.companies.map(\.reach) == full.companies.map(\.reach))
        #expect(sites.companies.map(\.sites) == full.companies.map(\.sites))
        #expect(sites.sites.map(\.site) == full.sites.map(\.site))
        #expect(sites.sites.map(\.companies) == full.sites.map(\.companies))
        #expect(sites.trend == full.trend)
        #expect(sites.cookies == nil, "no cookies are stored at this level")
        // Trackers are named by their registrable domain.
        let alphabet = try #require(sites.companies.first { $0.name == "Alphabet" })
        #expect(alphabet.trackerHosts.contains("google-analytics.com"))
        #expect(!alphabet.trackerHosts.contains("www.google-analytics.com"))
        var recorded = sites
        recorded.recording = Digest.Recording(record: "sites", clients: "addresses", retentionDays: 90)
        #expect(recorded.rendered(as: .markdown).contains("Not recorded: at the privacy level record = sites"))
    }
}
