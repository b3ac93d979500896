import CrumbsDashboard
import CrumbsModel
import Foundation
import Testing

/// The live page and its event stream: what the recorder writes reaches open pages in bounded
/// messages, filtered as the page asks, names escaped, cookie values never present.
@Suite(.timeLimit(.minutes(2)))
struct DashboardLiveTests {
    static let base = Date(timeIntervalSince1970: 1_795_000_000)

    static func event(
        _ host: String, site: String = "news.example", client: String = "192.168.1.20", tracker: Bool = false,
        company: String? = nil, categories: [String] = [], confidence: Classification.Confidence = .high,
        cookie: String? = nil
    ) -> RequestEvent {
        var event = RequestEvent(
            time: base, clientAddress: client, method: "GET", scheme: "https", host: host, port: 443, path: "/")
        if let cookie {
            event.cookiesSent = [SentCookie(name: cookie, valueHash: "hash-of-secret-value", valueLength: 12)]
        }
        event.classification = Classification(
            firstPartySite: site, attribution: confidence == .low ? .inferredNavigation : .referer,
            confidence: confidence, isThirdParty: host != site, isTracker: tracker, company: company,
            categories: categories)
        return event
    }

    @Test func theFeedKeepsTheNewestAndBoundsEachAnswer() {
        let feed = LiveFeed(capacity: 100)
        var tunnel = Self.event("tunnel.example")
        tunnel.kind = .tunnelOpened
        feed.publish([Self.event("a.example"), tunnel, Self.event("b.example", tracker: true)])
        let first = feed.since(0, matching: LiveFilter(), limit: 10)
        #expect(first.requests.map(\.host) == ["a.example", "b.example"], "a tunnel's opening is not a request")
        #expect(first.last == 2 && first.skipped == 0 && !first.finished)
        #expect(feed.since(2, matching: LiveFilter(), limit: 10).requests.isEmpty)
        #expect(
            feed.since(0, matching: LiveFilter(trackersOnly: true), limit: 10).requests.map(\.host) == ["b.example"])

        // A burst: each answer has the newest `limit`, says how many it left out.
        feed.publish((0..<250).map { Self.event("burst\($0).example") })
        let burst = feed.since(2, matching: LiveFilter(), limit: 50)
        #expect(burst.requests.count == 50 && burst.skipped >= 50)
        #expect(burst.requests.last?.host == "burst249.example" && burst.requests.first?.host == "burst200.example")
        #expect(burst.last == 252)
        // The oldest are gone once the feed holds twice its capacity.
        #expect(feed.latest(matching: LiveFilter(), limit: 1_000).requests.count <= 200)

        feed.finish()
        feed.publish([Self.event("late.example")])
        let after = feed.since(252, matching: LiveFilter(), limit: 10)
        #expect(after.requests.isEmpty && after.last == 252 && after.finished, "nothing is taken once finished")
    }

    @Test func filtersByDeviceCompanyAndCategory() {
        let feed = LiveFeed()
        feed.publish([
            Self.event(
                "www.google-analytics.com", client: "192.168.1.20", tracker: true, company: "Alphabet",
                categories: ["analytics"]),
            Self.event(
                "connect.facebook.net", client: "192.168.1.21", tracker: true, company: "Meta",
                categories: ["social", "advertising"]),
            Self.event("cdn.example", client: "192.168.1.21"),
        ])
        func hosts(_ filter: LiveFilter) -> [String] { feed.latest(matching: filter, limit: 10).requests.map(\.host) }
        #expect(hosts(LiveFilter(device: "192.168.1.21")) == ["connect.facebook.net", "cdn.example"])
        #expect(hosts(LiveFilter(company: "Alphabet")) == ["www.google-analytics.com"])
        #expect(hosts(LiveFilter(category: "advertising")) == ["connect.facebook.net"])
        #expect(hosts(LiveFilter(device: "192.168.1.21", trackersOnly: true)) == ["connect.facebook.net"])
    }

    @Test func thePageShowsTheLastRequestsEscapedWithGuessesMarked() async throws {
        let feed = LiveFeed()
        feed.publish([
            Self.event(
                "<script>alert(1)</script>.example", tracker: true, company: "Evil \"Co\" <b>&</b>",
                categories: ["advertising"], cookie: "<i>uid</i>"),
            Self.event("pixel.example", site: "guess.example", confidence: .low),
        ])
        try await DashboardTests.withDashboard(feed: feed) { client in
            let page = try await DashboardTests.get(client, "/live")
            #expect(page.status == 200)
            #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;.example"))
            #expect(!page.body.contains("<script>alert(1)"))
            #expect(page.body.contains("&lt;i&gt;uid&lt;/i&gt;") && !page.body.contains("hash-of-secret-value"))
            #expect(page.body.contains("guess.example <em>(guessed)</em>"))
            // The device's name from the store, and the stream's address with the filters.
            #expect(page.body.contains("&lt;img src=x onerror=alert(1)&gt; (192.168.1.20)"))
            #expect(page.body.contains("data-stream=\"/live/events?\""))
            #expect(page.body.contains("<script src=\"/static/live.js\"></script>"))

            let trackers = try await DashboardTests.get(
                client, "/live?trackers=1&company=Evil%20%22Co%22%20%3Cb%3E%26%3C/b%3E")
            #expect(!trackers.body.contains("pixel.example"))
            #expect(
                trackers.body.contains(
                    "data-stream=\"/live/events?company=Evil%20%22Co%22%20%3Cb%3E%26%3C/b%3E&amp;trackers=1\""))

            let french = try await DashboardTests.get(client, "/live", language: "fr")
            #expect(french.body.contains("Requêtes en direct") && french.body.contains("(supposé)"))

            let script = try await DashboardTests.get(client, "/static/live.js")
            #expect(script.status == 200 && script.headers["content-type"] == "text/javascript; charset=utf-8")
            #expect(script.body.contains("new EventSource"))
        }
    }

    @Test func theStreamSendsBoundedMessagesAndEndsWhenCrumbsStops() async throws {
        let feed = LiveFeed()
        feed.publish([Self.event("before.example")])
        try await DashboardTests.withDashboard(feed: feed) { client in
            let port = try #require(client.port)
            let publisher = Task {
                try await Task.sleep(for: .milliseconds(700))
                feed.publish((0..<120).map { Self.event("n\($0).example", cookie: "sid") })
                try await Task.sleep(for: .milliseconds(1_200))
                feed.publish([Self.event("tracker.example", tracker: true)])
                try await Task.sleep(for: .milliseconds(1_200))
                feed.finish()
            }
            // Only trackers, from the first request on: what came before the page is not repeated.
            let output = try await DashboardTests.curl([
                "-s", "-N", "-m", "40", "-H", "Host: crumbs.internal",
                "http://127.0.0.1:\(port)/live/events?trackers=1&after=1",
            ])
            try await publisher.value
            #expect(output.hasPrefix("retry: 3000"))
            let messages = output.components(separatedBy: "\n\n").filter { $0.contains("event: requests") }
            #expect(messages.count == 1, "\(output)")
            #expect(messages.first?.contains("\"host\":\"tracker.example\"") == true)
            #expect(!output.contains("before.example") && !output.contains("n1.example"))
            #expect(output.contains("event: end"), "the stream ends when Crumbs stops, not at curl's timeout")

            // Unfiltered, a burst of 120 becomes one message of the newest 50, saying what it left out.
            let burstFeed = LiveFeed()
            try await DashboardTests.withDashboard(feed: burstFeed) { client in
                let port = try #require(client.port)
                let publisher = Task {
                    try await Task.sleep(for: .milliseconds(700))
                    burstFeed.publish((0..<120).map { Self.event("n\($0).example", cookie: "sid") })
                    try await Task.sleep(for: .milliseconds(1_200))
                    burstFeed.finish()
                }
                let output = try await DashboardTests.curl([
                    "-s", "-N", "-m", "40", "-H", "Host: crumbs.internal", "http://127.0.0.1:\(port)/live/events",
                ])
                try await publisher.value
                let messages = output.components(separatedBy: "\n\n").filter { $0.contains("event: requests") }
                #expect(messages.count == 1, "\(output)")
                let message = try #require(messages.first)
                #expect(message.contains("\"skipped\":70") && message.contains("n119.example"))
                #expect(!message.contains("\"n69.example\"") && message.contains("\"cookies\":[\"sid\"]"))
                #expect(!message.contains("hash-of-secret-value"))
                #expect(message.hasPrefix("id: 120\n"))
            }
        }
    }

    @Test func atMostSixteenStreamsAndEveryPlaceIsGivenBack() async throws {
        let feed = LiveFeed()
        try await DashboardTests.withDashboard(feed: feed) { client in
            let port = try #require(client.port)
            let streams = (0..<16).map { _ in
                Task {
                    try await DashboardTests.curl([
                        "-s", "-N", "-m", "30", "-H", "Host: crumbs.internal", "http://127.0.0.1:\(port)/live/events",
                    ])
                }
            }
            let deadline = ContinuousClock.now + .seconds(20)
            while feed.streams < 16 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
            #expect(feed.streams == 16)
            let refused = try await DashboardTests.get(client, "/live/events")
            #expect(refused.status == 503 && refused.headers["retry-after"] == "10")
            feed.finish()
            for stream in streams { #expect(try await stream.value.contains("event: end")) }
            let freed = ContinuousClock.now + .seconds(5)
            while feed.streams > 0 && ContinuousClock.now < freed { try await Task.sleep(for: .milliseconds(20)) }
            #expect(feed.streams == 0, "every stream gave its place back")
        }
    }
}
