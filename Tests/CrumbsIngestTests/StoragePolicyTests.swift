import CrumbsIngest
import CrumbsLists
import CrumbsModel
import Foundation
import Testing

/// Privacy levels: classification sees the whole request whatever the level; only what is
/// stored shrinks.
struct StoragePolicyTests {
    static let hasher = CookieHasher(secret: Data(repeating: 9, count: 32))
    /// A rule that needs the query to match (as EasyPrivacy's `&ev=PageView&`).
    static let lists = LoadedLists(
        publicSuffixes: .builtIn,
        filters: FilterEngine(lists: [FilterList(text: "&ev=PageView&\n", name: "privacy.txt")]), entities: .empty)

    static func batch(client: String = "192.168.1.23") -> [RequestEvent] {
        let builder = EventBuilderTests.builder
        let page = builder.request(
            method: "GET", scheme: "https", host: "www.news.example", port: 443, target: "/story/42",
            headers: [(name: "sec-fetch-dest", value: "document"), (name: "sec-fetch-mode", value: "navigate")],
            source: .intercepted, client: client, time: EventBuilderTests.time)
        let pixel = builder.request(
            method: "GET", scheme: "https", host: "px.tracker.example", port: 443,
            target: "/t?id=1&ev=PageView&uid=8f3a9c2b7d1e4f60",
            headers: [
                (name: "Referer", value: "https://www.news.example/story/42"),
                (name: "Cookie", value: "uid=8f3a9c2b7d1e4f60a1b2"), (name: "sec-fetch-dest", value: "image"),
            ], source: .intercepted, client: client, time: EventBuilderTests.time + 0.5)
        return [page, pixel]
    }

    static func process(_ record: StoragePolicy.Record, _ clients: StoragePolicy.Clients = .addresses)
        -> [RequestEvent]
    {
        let policy = StoragePolicy(record: record, clients: clients, hasher: hasher, siteResolver: lists.publicSuffixes)
        return IngestStage(classifier: EventClassifier(lists: lists), policy: policy).process(batch())
    }

    @Test func levelsShrinkWhatIsStoredButNotTheVerdicts() throws {
        let full = Self.process(.full)
        let hosts = Self.process(.hosts)
        let sites = Self.process(.sites)
        #expect(full[1].classification?.isTracker == true, "the rule needs the query: classification saw it")
        for reduced in [hosts, sites] {
            #expect(reduced.map(\.classification) == full.map(\.classification))
        }
        #expect(full.map(\.path) == ["/story/42", "/t"])
        #expect(full[1].cookiesSent.map(\.name) == ["uid"] && !full[1].urlTokens.isEmpty)

        #expect(hosts.map(\.host) == ["www.news.example", "px.tracker.example"])
        #expect(hosts.allSatisfy { $0.path == nil })
        #expect(hosts[1].cookiesSent == full[1].cookiesSent)

        #expect(sites.map(\.host) == ["news.example", "tracker.example"])
        #expect(sites.allSatisfy { $0.path == nil && $0.cookiesSent.isEmpty && $0.cookiesSet.isEmpty })
        #expect(sites.allSatisfy { $0.urlTokens.isEmpty })
        #expect(sites[1].refererSite == "news.example")
        #expect(sites[1].classification?.firstPartySite == "news.example")
    }

    @Test func pseudonymsAreStableKeyedAndHideTheAddress() throws {
        let policy = StoragePolicy(record: .full, clients: .pseudonyms, hasher: Self.hasher, siteResolver: nil)
        let other = StoragePolicy(
            record: .full, clients: .pseudonyms, hasher: CookieHasher(secret: Data(repeating: 1, count: 32)),
            siteResolver: nil)
        let a = policy.storedClient("192.168.1.23")
        #expect(a == policy.storedClient("192.168.1.23"))
        #expect(a != policy.storedClient("192.168.1.24"))
        #expect(a != other.storedClient("192.168.1.23"), "another install's secret gives another pseudonym")
        #expect(a.hasPrefix("anon-") && a.count == 17 && !a.contains("192.168"))
        let stored = Self.process(.full, .pseudonyms)
        #expect(stored.allSatisfy { $0.clientAddress == a })
        #expect(Self.process(.full, .none).allSatisfy { $0.clientAddress.isEmpty })
    }

    /// Clients are told apart in memory before the policy hides them: with `clients = none`, two
    /// devices browsing at once still get their own pages.
    @Test func attributionStillSeparatesClientsThatAreNotStored() throws {
        let policy = StoragePolicy(record: .full, clients: .none, hasher: Self.hasher, siteResolver: .none)
        let stage = IngestStage(classifier: EventClassifier(lists: Self.lists), policy: policy)
        let builder = EventBuilderTests.builder
        func tunnel(_ host: String, _ client: String, _ second: Double, _ kind: RequestEvent.Kind) -> RequestEvent {
            builder.tunnel(
                host: host, port: 443, kind: kind, client: client, time: EventBuilderTests.time + second)
        }
        let out = stage.process([
            tunnel("www.a.example", "10.0.0.1", 0, .tunnelOpened),
            tunnel("www.b.example", "10.0.0.2", 0.2, .tunnelOpened),
            tunnel("cdn.a.example", "10.0.0.1", 0.5, .tunnelOpened), tunnel("www.a.example", "10.0.0.1", 0, .tunnel),
            tunnel("www.b.example", "10.0.0.2", 0.2, .tunnel), tunnel("cdn.a.example", "10.0.0.1", 0.5, .tunnel),
        ])
        #expect(out.map { $0.classification?.firstPartySite } == ["a.example", "b.example", "a.example"])
        #expect(out.allSatisfy { $0.clientAddress.isEmpty })
    }
}
