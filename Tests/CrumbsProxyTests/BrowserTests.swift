import CrumbsStore
import Foundation
import Testing

extension EndToEnd {
    /// A real browser: headless Chromium loads a page through `crumbs run`; every subresource
    /// becomes one stored event whose Referer site is the page's site.
    @Suite(.timeLimit(.minutes(3)))
    struct BrowserTests {
        @Test func headlessChromiumPageLoadIsRecordedResourceByResource() async throws {
            let origin = try await TestOrigin.start()
            // The origin doubles as the parent proxy, so every host name in the page reaches it.
            let crumbs = try CrumbsProcess(arguments: ["--upstream", "http://127.0.0.1:\(origin.port)"])
            defer { crumbs.removeData() }
            let profile = crumbs.dataDirectory.appendingPathComponent("chromium-profile")

            let dom = try await HeadlessChromium.dumpDOM(
                "http://www.news.example/page.html", proxyPort: crumbs.port, profile: profile)
            #expect(dom.contains("(script ran)"), "the page's script did not run: \(dom.prefix(300))")

            #expect(crumbs.terminate() == 0)
            await origin.stop()
            let events = try EventStore(path: crumbs.dataDirectory.appendingPathComponent("crumbs.sqlite").path)
                .events()
            let page = events.filter { $0.host == "www.news.example" && $0.path == "/page.html" }
            #expect(page.count == 1)
            #expect(page.first?.contentType == "text/html")
            for (host, path) in [
                ("static.news.example", "/style.css"), ("analytics.tracker-two.example", "/script.js"),
                ("cdn.tracker-one.example", "/pixel.gif"),
            ] {
                let matching = events.filter { $0.host == host && $0.path == path }
                #expect(matching.count == 1, "\(host)\(path): \(matching.count) events")
                #expect(matching.first?.refererSite == "news.example", "\(host): referer site")
                #expect(matching.first?.status == 200)
            }
            let pixel = events.first { $0.path == "/pixel.gif" }
            #expect(pixel?.cookiesSet.map(\.name) == ["px"])
            // Classified on the way into the store: the page opens a first party, the rest attach.
            #expect(page.first?.classification?.attribution == .navigation)
            #expect(page.first?.classification?.firstPartySite == "news.example")
            let script = events.first { $0.host == "analytics.tracker-two.example" }?.classification
            #expect(script?.firstPartySite == "news.example" && script?.isThirdParty == true)
            #expect(script?.requestType == "script")
            let style = events.first { $0.host == "static.news.example" }?.classification
            #expect(style?.isThirdParty == false)
        }
    }
}
