import CrumbsLists
import CrumbsModel
import Foundation
import Testing

/// Attribution over recorded request sequences (what Chromium sends, as seen by the proxy).
struct FirstPartyAttributorTests {
    private static let start = Date(timeIntervalSince1970: 1_700_000_000)

    private static func event(
        _ host: String, at second: Double, client: String = "127.0.0.1", kind: RequestEvent.Kind = .request,
        dest: String? = nil, mode: String? = nil, fetchSite: String? = nil, referer: String? = nil,
        origin: String? = nil, contentType: String? = nil
    ) -> RequestEvent {
        RequestEvent(
            time: start.addingTimeInterval(second), clientAddress: client, kind: kind, method: "GET",
            scheme: "https", host: host, port: 443, contentType: contentType, refererSite: referer,
            originSite: origin, secFetchSite: fetchSite, secFetchMode: mode, secFetchDest: dest
        )
    }

    /// Each step: the event, the site of its host, and what the attributor must say.
    private func run(_ steps: [(RequestEvent, String, String?, Classification.Attribution, Classification.Confidence)])
    {
        var attributor = FirstPartyAttributor(window: 30)
        for (index, (event, site, expectedSite, attribution, confidence)) in steps.enumerated() {
            let result = attributor.attribute(event, site: site)
            #expect(
                result.site == expectedSite && result.attribution == attribution && result.confidence == confidence,
                "step \(index): \(event.host): \(result)"
            )
        }
    }

    @Test func chromiumPageWithThirdPartySubresources() {
        run([
            (
                Self.event("www.news.example", at: 0, dest: "document", mode: "navigate", fetchSite: "none"),
                "news.example", "news.example", .navigation, .high
            ),
            (
                Self.event(
                    "www.google-analytics.com", at: 1, dest: "script", mode: "no-cors", fetchSite: "cross-site",
                    referer: "news.example"),
                "google-analytics.com", "news.example", .referer, .high
            ),
            (
                Self.event(
                    "api.tracker.example", at: 2, dest: "empty", mode: "cors", fetchSite: "cross-site",
                    origin: "news.example"),
                "tracker.example", "news.example", .origin, .high
            ),
        ])
    }

    @Test func iframeSubresourcesAttachToTheParentPage() {
        run([
            (
                Self.event("www.news.example", at: 0, dest: "document", mode: "navigate"), "news.example",
                "news.example", .navigation, .high
            ),
            (
                Self.event(
                    "ads.adnetwork.example", at: 1, dest: "iframe", mode: "navigate", fetchSite: "cross-site",
                    referer: "news.example"),
                "adnetwork.example", "news.example", .parentFrame, .high
            ),
            (
                Self.event(
                    "pixel.tracker.example", at: 2, dest: "image", fetchSite: "cross-site",
                    referer: "adnetwork.example"),
                "tracker.example", "news.example", .parentFrame, .medium
            ),
        ])
    }

    @Test func newNavigationForgetsTheOldFrames() {
        run([
            (Self.event("a.example", at: 0, dest: "document"), "a.example", "a.example", .navigation, .high),
            (
                Self.event("frame.example", at: 1, dest: "iframe", referer: "a.example"), "frame.example", "a.example",
                .parentFrame, .high
            ),
            (
                Self.event("b.example", at: 5, dest: "document", referer: "a.example"), "b.example", "b.example",
                .navigation, .high
            ),
            (
                Self.event("x.example", at: 6, dest: "image", referer: "frame.example"), "x.example", "frame.example",
                .referer, .high
            ),
        ])
    }

    @Test func tunnelsGoToTheRecentPageWithLowConfidenceThenNowhere() {
        run([
            (
                Self.event("www.shop.example", at: 0, contentType: "text/html"), "shop.example", "shop.example",
                .navigation, .medium
            ),
            (
                Self.event("t.tracker.example", at: 10, kind: .tunnel), "tracker.example", "shop.example", .timeWindow,
                .low
            ),
            (Self.event("t.tracker.example", at: 100, kind: .tunnel), "tracker.example", nil, .unattributed, .none),
        ])
    }

    @Test func htmlWithAThirdPartyRefererIsNotANewPage() {
        run([
            (
                Self.event("www.blog.example", at: 0, contentType: "text/html"), "blog.example", "blog.example",
                .navigation, .medium
            ),
            (
                Self.event("widget.example", at: 1, referer: "blog.example", contentType: "text/html"),
                "widget.example",
                "blog.example", .referer, .high
            ),
        ])
    }

    @Test func clientsAreKeptApart() {
        run([
            (
                Self.event("a.example", at: 0, client: "127.0.0.1", dest: "document"), "a.example", "a.example",
                .navigation, .high
            ),
            (
                Self.event("t.example", at: 1, client: "127.0.0.2", kind: .tunnel), "t.example", nil, .unattributed,
                .none
            ),
            (
                Self.event("t.example", at: 1, client: "127.0.0.1", kind: .tunnel), "t.example", "a.example",
                .timeWindow,
                .low
            ),
        ])
    }

    // MARK: - Out of order, and tunnels without decryption

    /// Tunnels are recorded when they close: a tunnel opened before a page loaded must not be
    /// given to that page, even when it arrives after it (no negative intervals).
    @Test func aTunnelIsNeverGivenToAPageOpenedAfterIt() {
        run([
            (Self.event("www.a.example", at: 0, dest: "document"), "a.example", "a.example", .navigation, .high),
            (Self.event("www.b.example", at: 20, dest: "document"), "b.example", "b.example", .navigation, .high),
            // Opened at 5 s, closed (and recorded) after b's page load.
            (Self.event("t.tracker.example", at: 5, kind: .tunnel), "tracker.example", "a.example", .timeWindow, .low),
        ])
    }

    /// The CONNECT stream alone: a quiet gap, a tunnel to an unlisted host, a burst after it.
    @Test func navigationsAreInferredFromTheOrderTunnelsOpen() {
        var attributor = FirstPartyAttributor(window: 30)
        let opens: [(String, Double, Bool)] = [
            ("www.news.example", 0, false), ("cdn.news.example", 0.2, false), ("t.tracker.example", 0.4, true),
            // Four seconds of quiet, then a click to another site.
            ("www.shop.example", 4.5, false), ("pixel.ads.example", 4.7, true),
        ]
        for (host, second, listed) in opens {
            attributor.noteTunnelOpened(
                client: "127.0.0.1", host: host, site: Self.site(host), at: Self.start.addingTimeInterval(second),
                listed: listed)
        }
        // Recorded when they close, in another order.
        let expectations: [(String, Double, String)] = [
            ("pixel.ads.example", 4.7, "shop.example"), ("t.tracker.example", 0.4, "news.example"),
            ("www.shop.example", 4.5, "shop.example"), ("www.news.example", 0, "news.example"),
            ("cdn.news.example", 0.2, "news.example"),
        ]
        for (host, second, page) in expectations {
            let result = attributor.attribute(Self.event(host, at: second, kind: .tunnel), site: Self.site(host))
            #expect(
                result.site == page && result.attribution == .inferredNavigation && result.confidence == .low, "\(host)"
            )
        }
    }

    /// A tracker's host is never taken for a page, and neither is a tunnel in the middle of a burst.
    @Test func listedHostsAndBurstsDoNotStartNavigations() {
        var attributor = FirstPartyAttributor(window: 30)
        for (host, second, listed) in [
            ("www.news.example", 0.0, false), ("t.tracker.example", 5.0, true), ("img.other.example", 5.2, false),
        ] {
            attributor.noteTunnelOpened(
                client: "127.0.0.1", host: host, site: Self.site(host), at: Self.start.addingTimeInterval(second),
                listed: listed)
        }
        for host in ["t.tracker.example", "img.other.example"] {
            let second = host.hasPrefix("t.") ? 5.0 : 5.2
            let result = attributor.attribute(Self.event(host, at: second, kind: .tunnel), site: Self.site(host))
            #expect(result.site == "news.example", "\(host): \(result)")
        }
    }

    /// A font fetched by a third-party stylesheet names the stylesheet's host as its Referer: it
    /// belongs to the page that loaded the stylesheet, not to a "site" the user never visited.
    @Test func aSubresourceLoadedByASubresourceBelongsToThePage() {
        run([
            (
                Self.event("www.news.example", at: 0, dest: "document"), "news.example", "news.example", .navigation,
                .high
            ),
            (
                Self.event("css.cdn.example", at: 1, dest: "style", referer: "news.example"), "cdn.example",
                "news.example", .referer, .high
            ),
            (
                Self.event("fonts.fontsite.example", at: 2, dest: "font", referer: "cdn.example"), "fontsite.example",
                "news.example", .referer, .medium
            ),
        ])
    }

    /// Thousands of tunnels without a quiet gap (a busy client, a benchmark) start no navigation,
    /// and the one before them keeps its tunnels.
    @Test func aStreamOfTunnelsKeepsTheNavigationBeforeIt() {
        var attributor = FirstPartyAttributor(window: 30)
        let count = 3000
        for i in 0...count {
            let host = i == 0 ? "www.news.example" : "h\(i).cdn.example"
            attributor.noteTunnelOpened(
                client: "127.0.0.1", host: host, site: Self.site(host),
                at: Self.start.addingTimeInterval(Double(i) / 1000), listed: false)
        }
        for i in stride(from: count, to: 0, by: -1) {
            let host = "h\(i).cdn.example"
            let result = attributor.attribute(
                Self.event(host, at: Double(i) / 1000, kind: .tunnel), site: Self.site(host))
            #expect(result.site == "news.example", "tunnel \(i): \(result)")
            if result.site != "news.example" { break }
        }
    }

    /// A tunnel recorded out of order takes the quiet gap from the one after it.
    @Test func anOpeningInsertedEarlierTakesTheGapFromTheNextOne() {
        var timeline = TunnelTimelineProbe()
        timeline.open("www.first.example", at: 0)
        timeline.open("www.second.example", at: 5)
        timeline.open("cdn.second.example", at: 5.2)
        #expect(timeline.navigation(at: 5.3) == "www.second.example")
        // An opening at 4.8 arrives late: "second" no longer follows a quiet gap, 4.8 does.
        timeline.open("www.late.example", at: 4.8)
        #expect(timeline.navigation(at: 5.3) == "www.late.example")
    }

    private static func site(_ host: String) -> String {
        host.split(separator: ".").suffix(2).joined(separator: ".")
    }
}

/// Drives the attributor's tunnel timeline through its public surface: markers in, attribution out.
private struct TunnelTimelineProbe {
    var attributor = FirstPartyAttributor(window: 30)
    static let start = Date(timeIntervalSince1970: 1_700_000_000)

    mutating func open(_ host: String, at second: Double) {
        let site = host.split(separator: ".").suffix(2).joined(separator: ".")
        attributor.noteTunnelOpened(
            client: "c", host: host, site: site, at: Self.start.addingTimeInterval(second), listed: false)
    }

    /// The page a tunnel opened at `second` is given to, by host of the inferred navigation.
    mutating func navigation(at second: Double) -> String? {
        let event = RequestEvent(
            time: Self.start.addingTimeInterval(second), clientAddress: "c", kind: .tunnel, method: "CONNECT",
            scheme: "https", host: "t.tracker.example", port: 443)
        return attributor.attribute(event, site: "tracker.example").pageHost
    }
}
