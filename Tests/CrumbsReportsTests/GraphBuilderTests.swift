import CrumbsModel
import Foundation
import Testing

@testable import CrumbsReports

@Suite struct GraphBuilderTests {
    func build(_ grouping: GraphGrouping = .domain, minSites: Int = 1, category: String? = nil) -> SiteGraph {
        GraphBuilder(grouping: grouping, minSites: minSites, category: category, siteOf: GraphFixture.siteOf)
            .build(GraphFixture.events)
    }

    @Test func domainGroupingFoldsHostsIntoRegistrableDomains() throws {
        let graph = build()
        #expect(graph.nodes.count == 6)
        #expect(graph.edges.count == 5)
        let dclk = try #require(graph.node("third:doubleclick.net"))
        #expect(dclk.kind == .thirdParty)
        #expect(dclk.requests == 3)
        #expect(dclk.sites == 2)
        #expect(dclk.company == "Google")
        #expect(dclk.categories == ["advertising"])
        #expect(dclk.setsCookies && dclk.sendsCookies)
        #expect(dclk.firstSeen == GraphFixture.day0)
        #expect(dclk.lastSeen == GraphFixture.day0.addingTimeInterval(2 * 86_400))
        let edge = try #require(graph.edge(from: "site:news.example", to: "third:doubleclick.net"))
        #expect(edge.requests == 2)
        #expect(edge.daysSeen == 2)
        #expect(edge.cookies == 2)
        #expect(edge.tracker)
    }

    @Test func firstPartyNodesCountThirdPartiesAndRequests() throws {
        let news = try #require(build().node("site:news.example"))
        #expect(news.kind == .firstParty)
        #expect(news.requests == 3)
        #expect(news.sites == 2)
        #expect(news.company == nil)
    }

    @Test func sameSiteUnclassifiedAndUnattributedEventsAreSkipped() {
        let ids = build(.host).nodes.map(\.id)
        #expect(!ids.contains("third:static.news.example"))
        #expect(!ids.contains("third:tracker.example"))
        #expect(!ids.contains("third:orphan.example"))
    }

    @Test func nonTrackerEdgeIsNotFlagged() throws {
        let edge = try #require(build().edge(from: "site:blog.example", to: "third:jsdelivr.net"))
        #expect(!edge.tracker)
        #expect(edge.cookies == 0)
    }

    @Test(arguments: [(GraphGrouping.host, 7, 6), (.domain, 6, 5), (.company, 5, 4)])
    func groupingDecidesNodeCount(grouping: GraphGrouping, nodes: Int, edges: Int) {
        let graph = build(grouping)
        #expect(graph.nodes.count == nodes)
        #expect(graph.edges.count == edges)
    }

    @Test func companyGroupingFallsBackToDomainWithoutCompany() throws {
        let graph = build(.company)
        let google = try #require(graph.node("company:Google"))
        #expect(google.kind == .company)
        #expect(google.requests == 4)
        #expect(google.sites == 2)
        #expect(graph.edge(from: "site:news.example", to: "company:Google")?.requests == 3)
        #expect(graph.node("third:jsdelivr.net")?.kind == .thirdParty)
    }

    @Test func minSitesKeepsWidespreadThirdPartiesAndDropsOrphanedSites() {
        let graph = build(minSites: 2)
        #expect(graph.nodes.map(\.id) == ["site:blog.example", "site:news.example", "third:doubleclick.net"])
        #expect(graph.edges.count == 2)
        #expect(graph.node("site:blog.example")?.sites == 1)
    }

    @Test func categoryFilterIsCaseInsensitive() {
        let graph = build(category: "Analytics")
        #expect(graph.nodes.map(\.id) == ["site:news.example", "third:google-analytics.com"])
        #expect(graph.edges.count == 1)
    }

    @Test func filtersCanLeaveAnEmptyGraph() {
        let graph = build(minSites: 2, category: "cdn")
        #expect(graph.nodes.isEmpty && graph.edges.isEmpty)
    }

    @Test func ipAddressWithoutSiteStandsForItself() {
        let events = [GraphFixture.event("news.example", "203.0.113.7")]
        let graph = GraphBuilder(siteOf: { _ in nil }).build(events)
        #expect(graph.node("third:203.0.113.7") != nil)
    }

    @Test func daysFollowTheBuilderTimeZone() throws {
        // 23:30 and 00:30 UTC the next day are the same day in UTC-2.
        let late = GraphFixture.event("a.example", "t.tracker.example")
        var next = late
        next.time = Date(timeIntervalSince1970: 1_793_836_800 + 1_800)
        var first = late
        first.time = Date(timeIntervalSince1970: 1_793_836_800 - 1_800)
        let utc = GraphBuilder(siteOf: GraphFixture.siteOf).build([first, next])
        let minus2 = GraphBuilder(timeZone: TimeZone(secondsFromGMT: -7_200)!, siteOf: GraphFixture.siteOf)
            .build([first, next])
        #expect(try #require(utc.edges.first).daysSeen == 2)
        #expect(try #require(minus2.edges.first).daysSeen == 1)
    }
}
