import CrumbsModel
import CrumbsReports
import CrumbsStore
import Foundation
import Testing

/// The store's graph aggregate (GROUP BY in SQLite) on a real temporary database.
struct ThirdPartyTrafficTests {
    typealias F = GraphStoreFixture

    /// The store's rows in a fixed order (it promises a deterministic one, not a sorted one).
    static func sorted(_ rows: [ThirdPartyTraffic]) -> [ThirdPartyTraffic] {
        rows.sorted { ($0.firstPartySite, $0.host, $0.company ?? "") < ($1.firstPartySite, $1.host, $1.company ?? "") }
    }

    @Test func trafficIsGroupedPerSiteHostCompanyAndCategories() throws {
        let rows = Self.sorted(try F.withStore { try $0.thirdPartyTraffic() })
        #expect(rows.count == 9)
        #expect(
            rows.map(\.firstPartySite) == Array(repeating: "blog.example", count: 3)
                + Array(repeating: "news.example", count: 3) + Array(repeating: "shop.example", count: 3))
        let stats = try #require(
            rows.first { $0.firstPartySite == "news.example" && $0.host == "stats.doubleclick.net" })
        #expect(stats.requests == 2)
        #expect(stats.company == "Google")
        #expect(stats.categories == ["advertising"])
        #expect(stats.tracker)
        #expect(stats.days.count == 1)
        #expect(stats.cookiesSent == ["id", "IDE"])
        #expect(stats.cookiesSet.isEmpty)
        #expect(stats.firstSeen == F.day0)
        #expect(stats.lastSeen == F.day0.addingTimeInterval(60))
        let hostile = try #require(rows.first { $0.host == F.xssHost })
        #expect(hostile.cookiesSent == [F.xssCookie])
        #expect(hostile.cookiesSet == [F.xssCookie])
        let cdn = try #require(rows.first { $0.host == "cdn.jsdelivr.net" })
        #expect(cdn.company == nil)
        #expect(!cdn.tracker)
        // Two verdicts for one host on one site stay two groups.
        #expect(rows.filter { $0.firstPartySite == "shop.example" && $0.host == "stats.doubleclick.net" }.count == 2)
    }

    @Test func everyCountedEventIsOneRequestInExactlyOneGroup() throws {
        let rows = try F.withStore { try $0.thirdPartyTraffic() }
        let counted = F.events.filter {
            guard let c = $0.classification, let site = c.firstPartySite else { return false }
            return c.isThirdParty && !site.isEmpty
        }
        #expect(rows.reduce(0) { $0 + $1.requests } == counted.count)
    }

    @Test(arguments: GraphGrouping.allCases, [nil, "advertising", "ADVERTISING", "social"])
    func storeAggregatesBuildTheSameGraphAsTheEvents(grouping: GraphGrouping, category: String?) throws {
        for minSites in [1, 2] {
            let builder = GraphBuilder(grouping: grouping, minSites: minSites, category: category, siteOf: F.siteOf)
            let fromStore = try F.withStore { builder.build(traffic: try $0.thirdPartyTraffic()) }
            #expect(
                fromStore == builder.build(F.events), "by \(grouping), category \(category ?? "-"), min \(minSites)")
            #expect(!fromStore.nodes.isEmpty || (minSites > 1 && category == "social"))
        }
    }

    @Test func graphFromStoreHasTheExpectedWeightsDaysAndCookies() throws {
        let graph = try F.withStore {
            GraphBuilder(grouping: .domain, siteOf: F.siteOf).build(traffic: try $0.thirdPartyTraffic())
        }
        // news.example → doubleclick.net: stats twice on day 0, ad once on day 1.
        let edge = try #require(graph.edge(from: "site:news.example", to: "third:doubleclick.net"))
        #expect(edge.requests == 3)
        #expect(edge.daysSeen == 2)
        #expect(edge.cookies == 2)  // id and IDE (IDE both sent and set)
        #expect(edge.tracker)
        let doubleclick = try #require(graph.node("third:doubleclick.net"))
        #expect(doubleclick.sites == 3)
        #expect(doubleclick.requests == 6)
        #expect(doubleclick.company == "Google")  // 5 requests against DoubleClick's 1
        #expect(doubleclick.setsCookies && doubleclick.sendsCookies)
    }

    @Test func sinceAndUntilBoundTheRange() throws {
        let rows = Self.sorted(
            try F.withStore {
                try $0.thirdPartyTraffic(
                    since: F.day0.addingTimeInterval(F.day), until: F.day0.addingTimeInterval(2 * F.day))
            })
        #expect(
            rows.map(\.host) == [
                "ad.doubleclick.net", "connect.facebook.net", "stats.doubleclick.net", "stats.doubleclick.net",
            ])
        #expect(rows.map(\.company) == ["Google", "Meta", "DoubleClick", "Google"])
        #expect(rows.first?.cookiesSet == ["IDE"])
        // `until` is exclusive: the events at exactly day0 + 2 days are out.
        #expect(!rows.contains { $0.host == "www.google-analytics.com" })
    }

    @Test func utcOffsetDecidesWhereADayStarts() throws {
        // 23:30 and 00:30 UTC: two days in UTC, one day two hours west of it.
        let events = [
            F.event("news.example", "t.tracker.example", at: 13.5 * 3600, sent: ["a"]),
            F.event("news.example", "t.tracker.example", at: 14.5 * 3600, sent: ["b"]),
        ]
        try F.withStore(events) { store in
            #expect(try store.thirdPartyTraffic(utcOffset: 0).first?.days.count == 2)
            #expect(try store.thirdPartyTraffic(utcOffset: -7200).first?.days.count == 1)
            let days = try #require(try store.thirdPartyTraffic(utcOffset: 3600).first?.days)
            #expect(days == Set(events.map { ThirdPartyTraffic.dayNumber($0.time, utcOffset: 3600) }))
        }
    }

    @Test func aGroupReadInBothHalvesOfTheRangeComesBackOnce() throws {
        // The store reads the two halves of the stored time span side by side and merges them.
        let events = [0, 1, 2].map {
            F.event("news.example", "t.tracker.example", at: Double($0) * F.day, sent: ["a\($0)"], set: ["s"])
        }
        let rows = try F.withStore(events) { try $0.thirdPartyTraffic() }
        #expect(rows.count == 1)
        #expect(rows.first?.requests == 3)
        #expect(rows.first?.days.count == 3)
        #expect(rows.first?.firstSeen == F.day0)
        #expect(rows.first?.lastSeen == F.day0.addingTimeInterval(2 * F.day))
        #expect(rows.first?.cookiesSent == ["a0", "a1", "a2"])
        #expect(rows.first?.cookiesSet == ["s"])
    }

    @Test func groupKeysKeepFieldBoundariesAndAnUnknownCompanyApart() throws {
        let events = [
            F.event("ab.example", "x.net", company: nil),
            F.event("ab.example", "x.net", company: ""),
            // Same bytes as the first two when site and host are simply concatenated.
            F.event("ab.exampl", "ex.net", company: nil),
            F.event("ab.example", "x.net", company: nil, sent: ["n"]),
        ]
        let rows = Self.sorted(try F.withStore(events) { try $0.thirdPartyTraffic() })
        #expect(rows.map(\.firstPartySite) == ["ab.exampl", "ab.example", "ab.example"])
        #expect(rows.map(\.company) == [nil, nil, ""] || rows.map(\.company) == [nil, "", nil])
        let unknown = try #require(rows.first { $0.firstPartySite == "ab.example" && $0.company == nil })
        #expect(unknown.requests == 2)
        #expect(unknown.cookiesSent == ["n"])
        #expect(rows.first { $0.company == "" }?.cookiesSent.isEmpty == true)
    }

    @Test func emptyOrIrrelevantStoreGivesNoTraffic() throws {
        #expect(try F.withStore([]) { try $0.thirdPartyTraffic() }.isEmpty)
        let firstPartyOnly = [F.event("news.example", "www.news.example", thirdParty: false, sent: ["s"])]
        #expect(try F.withStore(firstPartyOnly) { try $0.thirdPartyTraffic() }.isEmpty)
    }

    @Test func manyEventsCollapseIntoFewGroupsWithExactTotals() throws {
        var events: [RequestEvent] = []
        for i in 0..<20_000 {
            let cookies = i % 4 == 0 ? ["c\(i % 3)"] : []
            events.append(
                F.event(
                    "site\(i % 50).example", "h\(i % 7).tracker\(i % 3).example", at: Double(i) * 60,
                    company: "Company \(i % 3)", categories: ["analytics"], sent: cookies))
        }
        let rows = try F.withStore(events) { try $0.thirdPartyTraffic() }
        #expect(rows.count == 1050)  // 50 sites × 21 hosts (i mod 1050), one company per host
        #expect(rows.reduce(0) { $0 + $1.requests } == 20_000)
        let builder = GraphBuilder(grouping: .company, siteOf: F.siteOf)
        #expect(builder.build(traffic: rows) == builder.build(events))
    }

    /// Guesses (low confidence) are counted apart, and `observedOnly` leaves them out.
    @Test func inferredRequestsAreCountedApartAndCanBeLeftOut() throws {
        func event(_ site: String, _ host: String, _ confidence: Classification.Confidence) -> RequestEvent {
            var e = F.event(site, host, company: "Google", categories: ["advertising"])
            e.classification?.confidence = confidence
            e.classification?.attribution = confidence == .low ? .inferredNavigation : .referer
            return e
        }
        let events = [
            event("news.example", "ad.doubleclick.net", .high), event("news.example", "ad.doubleclick.net", .low),
            event("quiet.example", "ad.doubleclick.net", .low),
        ]
        let all = Self.sorted(try F.withStore(events) { try $0.thirdPartyTraffic() })
        #expect(all.map(\.firstPartySite) == ["news.example", "quiet.example"])
        #expect(all.map(\.requests) == [2, 1] && all.map(\.inferredRequests) == [1, 1])
        let graph = GraphBuilder(grouping: .domain, siteOf: F.siteOf).build(traffic: all)
        #expect(graph.edges.map(\.inferred) == [false, true])
        let observed = try F.withStore(events) { try $0.thirdPartyTraffic(observedOnly: true) }
        #expect(observed.map(\.firstPartySite) == ["news.example"] && observed.first?.requests == 1)
    }
}
