import Foundation
import Testing

/// The HTML digest opened in headless Chromium: it renders, shows the expected text, runs no
/// script and loads nothing. A screenshot at phone width is kept in artifacts/digest/.
struct DigestHTMLBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    private func chromium(_ arguments: [String], profile: URL) throws -> (status: Int32, output: String, error: String)
    {
        let binary = try #require(Self.chromium, "chromium is not installed (scripts/test installs it)")
        return runTool(
            binary,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
            ] + arguments)
    }

    @Test func htmlDigestRendersInHeadlessChromium() throws {
        let html = try fixtureDigest().rendered(as: .html)
        let page = try TestFiles.artifact("digest.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-chromium-\(UUID())")
        defer { try? FileManager.default.removeItem(at: profile) }

        let dump = try chromium(["--dump-dom", page.absoluteString], profile: profile)
        #expect(dump.status == 0, "\(dump.error)")
        let dom = dump.output
        #expect(dom.contains("Yesterday you visited 3 sites. 4 companies saw you; Alphabet saw 3 of them (100%)."))
        #expect(dom.contains("Companies by reach"))
        #expect(dom.contains("About attribution"))
        // The hostile host is text in the DOM, not an element.
        #expect(dom.contains("&lt;script&gt;alert(1)&lt;/script&gt;.example"))
        #expect(!dom.contains("<script"))
        #expect(dom.contains("<svg"))
        #expect(!dump.error.contains("Uncaught"))
        #expect(!dump.error.contains("Refused to"))

        let screenshot = try TestFiles.artifact("digest-phone.png")
        try? FileManager.default.removeItem(at: screenshot)
        let shot = try chromium(
            ["--screenshot=\(screenshot.path)", "--window-size=412,2400", "--hide-scrollbars", page.absoluteString],
            profile: profile)
        #expect(shot.status == 0, "\(shot.error)")
        let size = try FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int ?? 0
        #expect(size > 10_000)
    }

    @Test func htmlDigestLoadsNoExternalResource() throws {
        let html = try fixtureDigest().rendered(as: .html)
        #expect(!html.contains("http:") && !html.contains("https:") && !html.contains("//"))
        // Every "<" in names is escaped, so each literal "<" opens one of the page's own tags.
        let tags = html.split(separator: "<").dropFirst().map { $0.prefix { $0 != ">" } }
        #expect(!tags.contains { $0.contains("src=") || $0.contains("href=") || $0.hasPrefix("img") })
        #expect(!html.contains("<link"))
        #expect(!html.contains("<script"))
        #expect(!html.contains("url("))
        #expect(html.contains("default-src 'none'"))
    }
}
