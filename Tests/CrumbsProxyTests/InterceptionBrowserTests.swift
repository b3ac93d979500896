import CrumbsCA
import CrumbsLists
import CrumbsReports
import CrumbsStore
import Foundation
import Testing

extension EndToEnd {
    /// Headless Chromium through `crumbs run --intercept`, trusting the Crumbs CA through an NSS
    /// database made with `certutil` (as a user would): an HTTPS shop page whose tracker sets a
    /// third-party cookie and then syncs it to a partner by redirect. The store ends up with the
    /// decrypted requests, and the cookie inspector finds the sync pair from them.
    @Suite(.timeLimit(.minutes(3)))
    struct InterceptionBrowserTests {
        @Test func chromiumThroughInterceptionShowsTrackerCookiesAndTheSync() async throws {
            let origin = try await TLSOrigin.start()
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-origin-ca-\(UUID())")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let originCA = scratch.appendingPathComponent("origin-ca.pem")
            try origin.authority.certificate.pem.write(to: originCA, atomically: true, encoding: .utf8)
            // The origin is also the parent proxy, so every https host name in the page reaches it.
            let crumbs = try CrumbsProcess(arguments: [
                "--intercept", "--upstream", "http://127.0.0.1:\(origin.port)", "--upstream-ca", originCA.path,
            ])
            defer { crumbs.removeData() }
            let caPath = CAStore(dataDirectory: crumbs.dataDirectory.path).certificatePath
            // Trust the CA the way a user does on Linux: an NSS database in the browser's home.
            let home = crumbs.dataDirectory.appendingPathComponent("chromium-home")
            let nssdb = home.appendingPathComponent(".pki/nssdb")
            try FileManager.default.createDirectory(at: nssdb, withIntermediateDirectories: true)
            try runTool("/usr/bin/certutil", ["-N", "-d", "sql:\(nssdb.path)", "--empty-password"])
            try runTool(
                "/usr/bin/certutil", ["-A", "-d", "sql:\(nssdb.path)", "-t", "C,,", "-n", "Crumbs", "-i", caPath])

            // Third-party cookies allowed, as in a default desktop profile (a fresh headless profile
            // may start with them blocked), so the tracker's cookie is there to be synced.
            let profile = crumbs.dataDirectory.appendingPathComponent("chromium-profile")
            try FileManager.default.createDirectory(
                at: profile.appendingPathComponent("Default"), withIntermediateDirectories: true)
            try #"{"profile": {"cookie_controls_mode": 0, "block_third_party_cookies": false}}"#
                .write(to: profile.appendingPathComponent("Default/Preferences"), atomically: true, encoding: .utf8)

            let dom = try await HeadlessChromium.dumpDOM(
                "https://www.shop.test/page.html", proxyPort: crumbs.port, profile: profile,
                environment: ["HOME": home.path, "PATH": "/usr/bin:/bin"])
            #expect(dom.contains("(script ran)"), "the page did not load over intercepted TLS: \(dom.prefix(300))")

            #expect(crumbs.terminate() == 0)
            await origin.stop()
            let store = try EventStore(path: crumbs.dataDirectory.appendingPathComponent("crumbs.sqlite").path)
            let events = try store.events()
            let page = try #require(events.first { $0.host == "www.shop.test" && $0.path == "/page.html" })
            #expect(page.intercepted && page.scheme == "https" && page.contentType == "text/html")
            let set = try #require(events.first { $0.host == "pixel.tracker.test" && $0.path == "/set" })
            #expect(set.cookiesSet.map(\.name) == ["uid"] && set.refererSite == "shop.test")
            let sync = try #require(events.first { $0.host == "pixel.tracker.test" && $0.path == "/sync" })
            #expect(sync.status == 302 && sync.cookiesSent.map(\.name) == ["uid"])
            #expect(events.contains { $0.host == "sync-partner.test" && $0.path == "/match" })

            let report = CookieInspector(resolver: PublicSuffixList.builtIn).inspect(try store.cookieEvidence())
            #expect(report.thirdPartyCookies.contains { $0.party == "tracker.test" && $0.name == "uid" })
            let pair = report.cookieSyncs.first { $0.fromParty == "tracker.test" && $0.toParty == "sync-partner.test" }
            #expect(pair?.parameter == "partner_uid" && pair?.cookieName == "uid", "syncs: \(report.cookieSyncs)")
        }
    }
}

/// Runs a command-line tool to completion; throws with its output when it fails.
func runTool(_ path: String, _ arguments: [String]) throws {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    process.waitUntilExit()
    let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    guard process.terminationStatus == 0 else {
        throw RawClientError("\(path) \(arguments.joined(separator: " ")) failed: \(text)")
    }
}
