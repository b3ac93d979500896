import CrumbsCA
import CrumbsLists
import CrumbsModel
import CrumbsStore
import Foundation
import Testing

extension EndToEnd {
    /// Headless Chromium tours a local world of eight sites (http and https) that share real
    /// trackers' host names, through `crumbs run` with its defaults (lists, `--interception auto`):
    /// once as a browser that does not trust the Crumbs CA (tunnels only: nothing may break), once
    /// as one that does (decrypted, automatically, after the check at http://crumbs.internal/).
    /// The site → tracker links Crumbs records are measured against what the world served.
    @Suite(.timeLimit(.minutes(4)))
    struct BrowseWorldTests {
        @Test func withoutDecryptionTheLinksAreMostlyRightAndGuessesSayTheyAre() async throws {
            let result = try await Self.browse(intercept: false)
            print("browse-world tunnel: \(result.summary)")
            #expect(result.precision >= 0.9, "\(result.summary)")
            #expect(result.recall >= 0.8, "\(result.summary)")
            // The browser does not trust the CA: auto mode decrypted nothing, and every page loaded.
            #expect(!result.events.contains { $0.intercepted })
            // Without decryption every https link is a guess, and says so.
            #expect(
                result.events.filter { $0.kind == .tunnel }.allSatisfy {
                    $0.classification?.confidence ?? .none <= .low
                })
        }

        @Test func withDecryptionTheLinksAndTheirCompaniesAreRight() async throws {
            let result = try await Self.browse(intercept: true)
            print("browse-world intercept: \(result.summary)")
            // Auto mode decrypted this browser's HTTPS after the check: no world page is a tunnel.
            #expect(result.events.contains { $0.intercepted && $0.host == "www.shop-online.test" })
            #expect(!result.events.contains { $0.kind == .tunnel && $0.host.hasSuffix(".test") })
            #expect(result.precision >= 0.98, "\(result.summary)")
            #expect(result.recall >= 0.95, "\(result.summary)")
            let owners = [
                "google-analytics.com": "Google", "googletagmanager.com": "Google", "doubleclick.net": "Google",
                "facebook.net": "Meta", "facebook.com": "Meta", "bing.com": "Microsoft", "clarity.ms": "Microsoft",
                "adnxs.com": "Microsoft", "rubiconproject.com": "Magnite", "criteo.net": "Criteo",
            ]
            for event in result.events where event.classification?.isTracker == true {
                let domain = PublicSuffixList.builtIn.site(ofHost: event.host) ?? event.host
                guard let owner = owners[domain] else { continue }
                #expect(
                    event.classification?.company == owner, "\(event.host): \(event.classification?.company ?? "-")")
            }
        }

        struct Result {
            var events: [RequestEvent]
            var reported: Set<BrowseWorld.Pair>
            var truth: Set<BrowseWorld.Pair>
            var precision: Double {
                reported.isEmpty ? 0 : Double(reported.intersection(truth).count) / Double(reported.count)
            }
            var recall: Double { Double(reported.intersection(truth).count) / Double(truth.count) }
            var summary: String {
                let wrong = reported.subtracting(truth).map(\.description).sorted()
                let missed = truth.subtracting(reported).map(\.description).sorted()
                return String(
                    format: "precision %.3f, recall %.3f (%d links reported, %d served); wrong: %@; missed: %@",
                    precision, recall, reported.count, truth.count, wrong.joined(separator: ", "),
                    missed.joined(separator: ", "))
            }
        }

        /// `intercept`: the browser trusts the Crumbs CA, so auto mode decrypts its HTTPS.
        static func browse(intercept: Bool) async throws -> Result {
            let world = try await BrowseWorld.start()
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-world-\(UUID())")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let worldCA = scratch.appendingPathComponent("world-ca.pem")
            try world.authority.certificate.pem.write(to: worldCA, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: scratch.path)
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: worldCA.path)
            let crumbs = try CrumbsProcess(
                arguments: ["--upstream", "http://127.0.0.1:\(world.port)", "--upstream-ca", worldCA.path],
                defaultLists: true)
            defer { crumbs.removeData() }
            let home = crumbs.dataDirectory.appendingPathComponent("chromium-home")
            let nssdb = home.appendingPathComponent(".pki/nssdb")
            try FileManager.default.createDirectory(at: nssdb, withIntermediateDirectories: true)
            try runTool("/usr/bin/certutil", ["-N", "-d", "sql:\(nssdb.path)", "--empty-password"])
            // The browser trusts the world's CA, as it trusts real sites' CAs; and the Crumbs CA
            // (made by `crumbs run` on first start) only when the user installed it.
            try runTool(
                "/usr/bin/certutil", ["-A", "-d", "sql:\(nssdb.path)", "-t", "C,,", "-n", "World", "-i", worldCA.path])
            if intercept {
                let caPath = CAStore(dataDirectory: crumbs.dataDirectory.path).certificatePath
                try runTool(
                    "/usr/bin/certutil", ["-A", "-d", "sql:\(nssdb.path)", "-t", "C,,", "-n", "Crumbs", "-i", caPath])
            }
            let profile = crumbs.dataDirectory.appendingPathComponent("chromium-profile")
            let environment = ["HOME": home.path, "PATH": "/usr/bin:/bin"]
            // First the check page, as the banner tells users to open: it says, live, whether
            // this browser's HTTPS can be seen.
            let check = try await HeadlessChromium.dumpDOM(
                "http://crumbs.internal/", proxyPort: crumbs.port, profile: profile, environment: environment)
            let expected = intercept ? "Crumbs can see your HTTPS traffic" : "does not trust the Crumbs certificate yet"
            #expect(check.contains(expected), "crumbs.internal said: \(check.prefix(600))")
            try await HeadlessChromium.browse(
                BrowseWorld.tour[0], proxyPort: crumbs.port, profile: profile, environment: environment,
                timeout: .seconds(120), until: { world.tourIsOver })
            let finished = world.tourIsOver
            #expect(crumbs.terminate() == 0)
            await world.stop()
            #expect(finished, "the tour did not reach its end: \(world.served.withLockedValue { $0 })")
            let events = try EventStore(path: crumbs.dataDirectory.appendingPathComponent("crumbs.sqlite").path)
                .events()
            let sites = PublicSuffixList.builtIn
            var reported: Set<BrowseWorld.Pair> = []
            for event in events {
                guard let c = event.classification, c.isTracker, c.isThirdParty, let site = c.firstPartySite else {
                    continue
                }
                reported.insert(BrowseWorld.Pair(site: site, host: sites.site(ofHost: event.host) ?? event.host))
            }
            let truth = Set(
                BrowseWorld.truth.map { BrowseWorld.Pair(site: $0.site, host: sites.site(ofHost: $0.host) ?? $0.host) })
            return Result(events: events, reported: reported, truth: truth)
        }
    }
}
