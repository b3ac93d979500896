import CrumbsModel
import CrumbsProxy
import Foundation
import Testing

/// What the proxy records about each request: the right fields, and nothing it must not keep.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(2)))
    struct EventTests {
        /// The origin doubles as a parent proxy, so any host name reaches it.
        private static func originAsParent(_ configuration: inout ProxyConfiguration, _ origin: TestOrigin) {
            configuration.upstreamProxy = UpstreamProxy(host: "127.0.0.1", port: origin.port)
        }

        @Test func requestEventCarriesSitesSecFetchAndCookieNamesButNoValuesOrQuery() async throws {
            try await withOriginAndProxy(Self.originAsParent) { _, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send(
                    "GET http://pixel.tracker.example/hello?uid=12345 HTTP/1.1\r\nHost: pixel.tracker.example\r\n"
                        + "Referer: https://www.news.example.co.uk/article?id=9\r\nOrigin: https://shop.example.com\r\n"
                        + "Sec-Fetch-Site: cross-site\r\nSec-Fetch-Mode: no-cors\r\nSec-Fetch-Dest: image\r\n"
                        + "Cookie: uid=RAW-COOKIE-VALUE-42; other=2\r\n\r\n"
                )
                _ = client.read(untilContains: "hello")
                let event = try #require(await proxy.sink.waitFor(count: 1).first)
                #expect(event.kind == .request)
                #expect(event.clientAddress == "127.0.0.1")
                #expect(event.method == "GET" && event.scheme == "http")
                #expect(event.host == "pixel.tracker.example" && event.port == 80)
                #expect(event.path == "/hello")
                #expect(event.status == 200)
                #expect(event.contentType == "text/plain")
                #expect(event.bytesDown == 5)
                #expect(event.duration > 0 && event.duration < 5)
                #expect(event.refererSite == "example.co.uk")
                #expect(event.originSite == "example.com")
                #expect(
                    event.secFetchSite == "cross-site" && event.secFetchMode == "no-cors"
                        && event.secFetchDest == "image")
                #expect(event.cookiesSent.map(\.name) == ["uid", "other"])
                #expect(event.cookiesSent[0].valueLength == "RAW-COOKIE-VALUE-42".count)
                #expect(event.cookiesSent[0].valueHash.count == 32)
                #expect(!event.cookiesSent[0].valueHash.contains("RAW"))
                let set = try #require(event.cookiesSet.first)
                #expect(set.name == "tracker_id" && set.secure && set.sameSite == SetCookieObservation.SameSite.none)
                #expect(set.valueLength == "SECRET-VALUE-1234567890".count)
                #expect(set.expires.map { $0.timeIntervalSinceNow > 300 * 86400 } == true)
                // The whole target lives in memory for the classifier only (the ingest stage drops
                // it before storage); everything else the event holds carries no value at all.
                #expect(event.detail?.target?.contains("uid=12345") == true)
                var stored = event
                stored.detail = nil
                let encoded = String(describing: stored)
                #expect(
                    !encoded.contains("RAW-COOKIE-VALUE") && !encoded.contains("SECRET-VALUE")
                        && !encoded.contains("uid=12345"))
            }
        }

        @Test func sameCookieValueGivesTheSameHash() async throws {
            try await withOriginAndProxy(Self.originAsParent) { _, proxy in
                let client = try RawClient(port: proxy.port)
                for host in ["a.example", "b.example"] {
                    try client.send(
                        "GET http://\(host)/hello HTTP/1.1\r\nHost: \(host)\r\nCookie: id=same-value\r\n\r\n")
                    _ = client.read(untilContains: "hello")
                }
                let events = await proxy.sink.waitFor(count: 2)
                #expect(events.count == 2)
                #expect(events[0].cookiesSent[0].valueHash == events[1].cookiesSent[0].valueHash)
            }
        }

        @Test func keepQueryKeepsTheQueryString() async throws {
            try await withOriginAndProxy({ configuration, origin in
                Self.originAsParent(&configuration, origin)
                configuration.keepQuery = true
            }) { _, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("GET http://site.example/hello?a=1&b=2 HTTP/1.1\r\nHost: site.example\r\n\r\n")
                _ = client.read(untilContains: "hello")
                #expect(await proxy.sink.waitFor(count: 1).first?.path == "/hello?a=1&b=2")
            }
        }

        @Test func oneEventPerPipelinedRequest() async throws {
            try await withOriginAndProxy(Self.originAsParent) { _, proxy in
                let client = try RawClient(port: proxy.port)
                let hosts = ["one.example", "two.example", "three.example"]
                try client.send(hosts.map { "GET http://\($0)/hello HTTP/1.1\r\nHost: \($0)\r\n\r\n" }.joined())
                _ = client.read(until: { $0.components(separatedBy: "hello").count == 4 }, seconds: 5)
                let events = await proxy.sink.waitFor(count: 3)
                #expect(events.map(\.host) == hosts)
            }
        }
    }
}
