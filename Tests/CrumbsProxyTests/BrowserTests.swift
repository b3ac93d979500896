import CrumbsStore
import Foundation
import Testing

extension EndToEnd {
    /// A real browser: headless Chromium loads a page through `crumbs run`; every subresource
    /// becomes one stored event whose Referer site is the page's site.
    @Suite(.timeLimit(.minutes(3)))
    struct BrowserTests {
        static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }

        @Test func headlessChromiumPageLoadIsRecordedResourceByResource() async throws {
            let chromium = try #require(Self.chromium, "chromium is not installed (scripts/test installs it)")
            let origin = try await TestOrigin.start()
            // The origin doubles as the parent proxy, so every host name in the page reaches it.
            let crumbs = try CrumbsProcess(arguments: ["--upstream", "http://127.0.0.1:\(origin.port)"])
            defer { crumbs.removeData() }
            let profile = crumbs.dataDirectory.appendingPathComponent("chromium-profile")

            let browser = Process()
            browser.executableURL = URL(fileURLWithPath: chromium)
            browser.arguments = [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-default-apps", "--disable-extensions", "--metrics-recording-only",
                "--user-data-dir=\(profile.path)",
                "--proxy-server=http://127.0.0.1:\(crumbs.port)",
                "--virtual-time-budget=5000", "--dump-dom",
                "http://www.news.example/page.html",
            ]
            let output = Pipe()
            browser.standardOutput = output
            browser.standardError = FileHandle.nullDevice
            try browser.run()
            let deadline = Date().addingTimeInterval(90)
            while browser.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            if browser.isRunning { browser.terminate() }
            let dom = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
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
