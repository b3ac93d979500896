import CrumbsModel
import Foundation
import Testing

/// Each exporter's HAR, written to reproduce its quirks, imported with the default lists: what
/// each entry became, which page it went to and how sure that is.
@Suite(.timeLimit(.minutes(2)))
struct ExporterQuirksTests {
    /// (host, first-party site, attribution) of each stored event, in order.
    func placements(_ events: [RequestEvent]) -> [String] {
        events.map {
            "\($0.host) → \($0.classification?.firstPartySite ?? "-") (\($0.classification?.attribution.rawValue ?? "-"))"
        }
    }

    func event(_ events: [RequestEvent], host: String) throws -> RequestEvent {
        try #require(events.first { $0.host == host }, "no event for \(host)")
    }

    @Test func chromiumRedirectFirstPageFoldedSetCookieWebSocketAndSkippedEntries() throws {
        let workspace = try ImportWorkspace()
        let output = try workspace.importFiles([workspace.copy(fixture: "chromium-devtools.har")])
        #expect(output.contains("imported 5 events from 8 entries, 1 pages (written by WebInspector 537.36)"))
        #expect(output.contains("1 from the browser's cache, 1 blocked in the browser, 1 data:/blob:/extension URLs"))
        #expect(output.contains("1 WebSocket connections"))
        let events = try workspace.events()
        #expect(
            placements(events) == [
                "news-daily.test → news-daily.test (recordedPage)",
                "www.news-daily.test → news-daily.test (navigation)",
                "www.google-analytics.com → news-daily.test (recordedPage)",
                "www.facebook.com → news-daily.test (recordedPage)",
                "live.news-daily.test → news-daily.test (recordedPage)",
            ])
        #expect(events.allSatisfy { $0.source == .har && $0.clientAddress == "har" })
        #expect(events.allSatisfy { $0.classification?.confidence == .high })
        // HTTP/2 pseudo-headers are not headers; two cookies folded into one Set-Cookie value.
        let page = try event(events, host: "www.news-daily.test")
        #expect(page.cookiesSet.map(\.name) == ["sid", "lang"])
        #expect(page.contentType == "text/html")
        let pixel = try event(events, host: "www.facebook.com")
        #expect(pixel.classification?.isTracker == true && pixel.classification?.company == "Meta")
        #expect(pixel.cookiesSent.map(\.name) == ["fr", "datr"])
        #expect(pixel.path == "/tr")
        let analytics = try event(events, host: "www.google-analytics.com")
        #expect(analytics.classification?.company == "Google")
        // `_initiator` stands in for the Referer that the entry does not list.
        #expect(analytics.refererSite == "news-daily.test")
        let socket = try event(events, host: "live.news-daily.test")
        #expect(socket.kind == .upgrade && socket.status == 101 && socket.scheme == "https")
        let stored = try workspace.allStoredBytes()
        for secret in ["4f9a8b7c6d5e", "0AbCdEfGhIjKlMnOp", "private message", "hunter2", "ev=PageView", "token=abc"] {
            #expect(!stored.contains(secret), "\(secret) reached the data directory")
        }
    }

    @Test func firefoxTitleThatIsNoURLAndSetCookieHeadersOverIncompleteCookieArrays() throws {
        let workspace = try ImportWorkspace()
        try workspace.importFiles([workspace.copy(fixture: "firefox.har")])
        let events = try workspace.events()
        #expect(
            placements(events) == [
                "www.news-daily.test → news-daily.test (navigation)",
                "www.google-analytics.com → news-daily.test (recordedPage)",
            ])
        let collect = try event(events, host: "www.google-analytics.com")
        #expect(collect.cookiesSet.map(\.name) == ["_ga", "_gid"])
        // +02:00 is honoured: 12:00:00.400 in Paris is 10:00:00.400 UTC.
        #expect(abs(collect.time.timeIntervalSince1970 - 1_714_557_600.4) < 0.001)
    }

    @Test func webPageTestPageThatBeginsWithABounceThroughAnAdServer() throws {
        let workspace = try ImportWorkspace()
        try workspace.importFiles([workspace.copy(fixture: "webpagetest.har")])
        let events = try workspace.events()
        // The bounce belongs to the page the user landed on, not to the ad server.
        #expect(
            placements(events) == [
                "ad.doubleclick.net → shop-online.test (recordedPage)",
                "www.shop-online.test → shop-online.test (navigation)",
                "bat.bing.com → shop-online.test (recordedPage)",
            ])
        #expect(try event(events, host: "ad.doubleclick.net").classification?.isTracker == true)
        // WebPageTest's `_initiator` is a bare URL.
        #expect(try event(events, host: "bat.bing.com").refererSite == "shop-online.test")
    }

    @Test func sitespeedPrefetchServiceWorkerAndDiskCache() throws {
        let workspace = try ImportWorkspace()
        let output = try workspace.importFiles([workspace.copy(fixture: "sitespeed-chrome-har.har")])
        #expect(output.contains("imported 4 events from 5 entries"))
        #expect(output.contains("1 from the browser's cache"))
        let events = try workspace.events()
        #expect(
            placements(events) == [
                "www.travel-guide.test → travel-guide.test (navigation)",
                "www.clarity.ms → travel-guide.test (recordedPage)",
                "www.travel-guide.test → travel-guide.test (recordedPage)",
                "www.travel-guide.test → travel-guide.test (recordedPage)",
            ])
        #expect(events.map { $0.path ?? "" } == ["/", "/tag/abc", "/next", "/sw-data.json"])
    }

    @Test func fiddlerWithoutPagesSevenDigitFractionsAndCookieHeaderOnly() throws {
        let workspace = try ImportWorkspace()
        let output = try workspace.importFiles([workspace.copy(fixture: "fiddler.har")])
        #expect(output.contains("2 entries belong to no page in the file"))
        let events = try workspace.events()
        // No fetch metadata: an HTML answer without a Referer opens the page, with medium confidence.
        #expect(
            placements(events) == [
                "www.weather-now.test → weather-now.test (navigation)",
                "bat.bing.com → weather-now.test (referer)",
            ])
        #expect(events[0].classification?.confidence == .medium)
        // Parsed to the tenth of a microsecond (ISO8601TimeTests); stored to the millisecond.
        #expect(abs(events[0].time.timeIntervalSince1970 - 1_714_557_600.1234567) < 0.000_501)
        #expect(events[1].cookiesSent.map(\.name) == ["MUID"])
    }

    @Test func charlesTimesWithoutZoneAndCookiesOnlyInCookieArrays() throws {
        let workspace = try ImportWorkspace()
        let output = try workspace.importFiles([workspace.copy(fixture: "charles.har")])
        #expect(output.contains("2 times without a time zone were read as UTC"))
        let events = try workspace.events()
        #expect(abs(events[0].time.timeIntervalSince1970 - 1_714_557_600) < 0.001)
        let pixel = try event(events, host: "pixel.rubiconproject.com")
        #expect(pixel.cookiesSent.map(\.name) == ["khaos"])
        #expect(pixel.cookiesSet.map(\.name) == ["audit"])
        #expect(pixel.cookiesSet.first?.secure == true)
        // Expires, written as an ISO date, is kept as the cookie's lifetime from the response.
        let expires = try #require(pixel.cookiesSet.first?.expires)
        #expect(abs(expires.timeIntervalSince(pixel.time) - 365 * 86_400) < 2)
        #expect(pixel.classification?.company == "Magnite")
    }

    @Test func mitmproxyPagelessBounceBelongsToThePageOfTheClick() throws {
        let workspace = try ImportWorkspace()
        try workspace.importFiles([workspace.copy(fixture: "mitmproxy.har")])
        let events = try workspace.events()
        #expect(
            placements(events) == [
                "ad.doubleclick.net → recipes-blog.test (referer)",
                "www.health-pharmacy.test → health-pharmacy.test (navigation)",
                "connect.facebook.net → health-pharmacy.test (referer)",
            ])
        #expect(events.allSatisfy { $0.classification?.confidence == .high })
    }

    @Test func safariMemoryCacheIsNoRequest() throws {
        let workspace = try ImportWorkspace()
        let output = try workspace.importFiles([workspace.copy(fixture: "safari.har")])
        #expect(output.contains("imported 2 events from 3 entries"))
        #expect(output.contains("1 from the browser's cache"))
        #expect(
            placements(try workspace.events()) == [
                "www.quiet-notes.test → quiet-notes.test (navigation)",
                "www.quiet-notes.test → quiet-notes.test (recordedPage)",
            ])
    }
}
