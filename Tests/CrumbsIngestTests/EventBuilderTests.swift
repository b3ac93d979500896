import CrumbsIngest
import CrumbsLists
import CrumbsModel
import Foundation
import Testing

/// The builder from plain header pairs, as every source hands them over.
struct EventBuilderTests {
    static let builder = EventBuilder(
        siteResolver: PublicSuffixList.builtIn, keepQuery: false,
        hasher: CookieHasher(secret: Data(repeating: 7, count: 32)))
    static let time = Date(timeIntervalSince1970: 1_765_000_000)

    /// The hash is HMAC-SHA256 truncated to 128 bits, as Python's hmac module computes it: hashes
    /// already in users' stores must stay comparable whatever the implementation.
    @Test func cookieHashesAreTruncatedHMACSHA256() {
        let hasher = CookieHasher(secret: Data(repeating: 7, count: 32))
        #expect(hasher.hash("abc") == "127da4ced6a839b8f6118bc244684d26")
        #expect(hasher.hash(Substring(String(repeating: "é", count: 40))) == "8a07cb106fb54e4c91ea432bd34fe72b")
        // A copy of the keyed state per value: hashing one value never changes the next one's hash.
        #expect(hasher.hash("abc") == "127da4ced6a839b8f6118bc244684d26")
    }

    @Test func storedFieldsAreReducedAndTheDetailKeepsWhatClassificationNeeds() {
        let event = Self.builder.request(
            method: "GET", scheme: "https", host: "px.tracker.example", port: 443,
            target: "/t?id=1&ev=PageView&uid=8f3a9c2b7d1e4f60",
            headers: [
                (name: "Referer", value: "https://www.news.example/article?id=42"),
                (name: "Cookie", value: "uid=8f3a9c2b7d1e4f60a1b2; theme=dark"),
                (name: "User-Agent", value: "Mozilla/5.0 Test"),
                (name: "sec-fetch-dest", value: "image"),
            ], source: .proxy, client: "127.0.0.1", time: Self.time)
        #expect(event.path == "/t")
        #expect(event.refererSite == "news.example")
        #expect(event.secFetchDest == "image")
        #expect(event.cookiesSent.map(\.name) == ["uid", "theme"])
        #expect(!event.cookiesSent.contains { $0.valueHash.contains("8f3a9c2b") })
        #expect(
            event.detail
                == RequestEvent.Detail(
                    target: "/t?id=1&ev=PageView&uid=8f3a9c2b7d1e4f60", sourceHost: "www.news.example"))
        #expect(event.urlTokens.contains { $0.name == "uid" && $0.source == .query })
    }

    @Test func pseudoHeadersAreNotRequestHeadersAndOriginStandsInForReferer() {
        let event = Self.builder.request(
            method: "POST", scheme: "https", host: "api.example", port: 443, target: "/v1",
            headers: [
                (name: ":authority", value: "api.example"), (name: ":path", value: "/v1"),
                (name: "origin", value: "https://app.shop.example"),
            ], source: .har, client: "laptop", time: Self.time)
        #expect(event.originSite == "shop.example" && event.refererSite == nil)
        #expect(event.detail?.sourceHost == "app.shop.example")
        #expect(event.source == .har)
    }

    @Test func setCookieValuesFoldedIntoOneHeaderAreEachParsed() {
        var event = Self.builder.request(
            method: "GET", scheme: "https", host: "a.example", port: 443, target: "/", headers: [], source: .har,
            client: "c", time: Self.time)
        Self.builder.addResponse(
            status: 302,
            headers: [
                (name: "Content-Type", value: "Text/HTML; charset=utf-8"),
                (name: "set-cookie", value: "a=1; Path=/\nb=2; Secure"),
                (name: "Location", value: "https://sync.example/?partner_uid=0f9e8d7c6b5a49382716"),
            ], to: &event, time: Self.time)
        #expect(event.status == 302 && event.contentType == "text/html")
        #expect(event.cookiesSet.map(\.name) == ["a", "b"])
        #expect(event.urlTokens.contains { $0.source == .location && $0.host == "sync.example" })
    }

    @Test func queriesAreKeptOnlyWhenAskedFor() {
        let keeping = EventBuilder(
            siteResolver: PublicSuffixList.builtIn, keepQuery: true, hasher: CookieHasher(secret: Data(count: 32)))
        #expect(keeping.recordedPath("/p?q=1") == "/p?q=1")
        #expect(Self.builder.recordedPath("/p?q=1") == "/p")
        #expect(Self.builder.recordedPath("/p") == "/p")
    }

    @Test func garbageRefererGivesNoSite() {
        let event = Self.builder.request(
            method: "GET", scheme: "http", host: "a.example", port: 80, target: "/",
            headers: [(name: "Referer", value: "null"), (name: "Origin", value: "not a url")], source: .proxy,
            client: "c", time: Self.time)
        #expect(event.refererSite == nil && event.originSite == nil && event.detail?.sourceHost == nil)
    }
}
