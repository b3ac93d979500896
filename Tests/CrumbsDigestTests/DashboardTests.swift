import CrumbsDashboard
import CrumbsLists
import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// A count shared by copies of a value.
final class Counter: Sendable {
    let value = Mutex(0)
}

/// The dashboard over real sockets on 127.0.0.1 (HummingbirdTesting's live mode), with the
/// fixture day's digest (hostile host, company and cookie names among its data): pages in
/// English and French, the Host check against DNS rebinding, security headers, escaping, the
/// archive serving only day-named files.
@Suite(.timeLimit(.minutes(2)))
struct DashboardTests {
    /// The fixture store's digest as "today", and an archive written by the digest writer.
    struct FixtureData: DashboardData {
        let digest: Digest
        let archiveDirectory: URL
        /// The fixture store's third-party traffic: everything, and observed links only.
        var traffic: (all: [ThirdPartyTraffic], observed: [ThirdPartyTraffic]) = ([], [])
        /// A store holding the fixture's events, for the forms (forget, device names).
        var store: EventStore? = nil
        let reloads = Counter()

        func recording() -> Digest.Recording? {
            Digest.Recording(record: "full", clients: "addresses", retentionDays: 30)
        }

        func lists() -> DashboardLists {
            DashboardLists(
                lists: [
                    DashboardList(
                        name: "easyprivacy.txt", kind: "adblock", path: "/usr/share/easyprivacy.txt",
                        source: "Debian", licence: "GPL-3.0-or-later",
                        modified: Date(timeIntervalSince1970: 1_790_000_000),
                        counts: [("network", 12_345)], skipped: 2,
                        skippedLines: ["12: ##<script>alert(1)</script> (cosmetic)", "40: bad$option (unknown option)"])
                ], warnings: ["disconnect.json: <b>not found</b>"], loaded: Date(timeIntervalSince1970: 1_795_000_000))
        }

        func reloadLists() async -> DashboardLists {
            reloads.value.withLock { $0 += 1 }
            return lists()
        }

        func certificate() -> DashboardCertificate? {
            DashboardCertificate(sha256Fingerprint: "AB:CD:EF:01", notAfter: Date(timeIntervalSince1970: 1_900_000_000))
        }

        func forget(_ request: ForgetRequest, dryRun: Bool) async throws -> ForgetCount {
            let store = try #require(store)
            let selection = EventSelection(site: request.site, everything: request.everything)
            let report =
                dryRun
                ? try store.forgetPreview(selection, timeZone: DigestFixture.zone)
                : try store.forget(selection, timeZone: DigestFixture.zone)
            return ForgetCount(
                events: report.events, cookiesSent: report.cookiesSent, cookiesSet: report.cookiesSet,
                urlTokens: report.urlTokens, imports: report.imports, digestDays: report.days.count)
        }

        /// The fixture day as "today", and the days before it.
        func week() async throws -> [(day: Day, totals: ActivityTotals)] {
            let store = try #require(store)
            let day = DigestFixture.day, zone = DigestFixture.zone
            let interval = day.interval(in: zone)
            let before = try DigestQuery.previousWeek(
                store: store, period: DigestPeriod(day: day, today: day, timeZone: zone), timeZone: zone)
            return [(day, try store.totals(since: interval.start, until: interval.end))]
                + before.prefix(6).enumerated().map { (day.adding(days: -($0.offset + 1)), $0.element) }
        }

        func deviceNames() throws -> [String: String] {
            Dictionary(try devices().compactMap { device in device.name.map { (device.client, $0) } }) { first, _ in
                first
            }
        }

        func nameDevice(client: String, name: String) throws {
            try #require(store).nameDevice(client: client, name: name)
        }

        func graph(_ query: GraphQuery) async throws -> SiteGraph {
            GraphBuilder(grouping: query.grouping, timeZone: DigestFixture.zone, resolver: PublicSuffixList.builtIn)
                .build(traffic: query.observedOnly ? traffic.observed : traffic.all)
        }

        func today() async throws -> Digest { digest }

        func archive() throws -> [ArchivedDigest] {
            [
                ArchivedDigest(
                    day: DigestFixture.day, htmlPath: archiveDirectory.appendingPathComponent("2026-11-20.html").path)
            ]
        }

        func devices() throws -> [DashboardDevice] {
            [
                DashboardDevice(
                    client: "192.168.1.20", name: "<img src=x onerror=alert(1)>",
                    firstSeen: Date(timeIntervalSince1970: 0),
                    lastSeen: Date(timeIntervalSince1970: 86_400), requests: 1_234, sites: 3)
            ]
        }
    }

    static func withDashboard(
        feed: LiveFeed = LiveFeed(), _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withFixture(feed: feed) { client, _ in try await body(client) }
    }

    /// The dashboard over the fixture, with the data behind it (its store, its reload count).
    static func withFixture(
        feed: LiveFeed = LiveFeed(),
        _ body: @escaping @Sendable (any TestClientProtocol, FixtureData) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-dashboard-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let digest = try fixtureDigest()
        try digest.rendered(as: .html).write(
            to: directory.appendingPathComponent("2026-11-20.html"), atomically: true, encoding: .utf8)
        let traffic = try DigestFixture.withStore { store, _ in
            (try store.thirdPartyTraffic(), try store.thirdPartyTraffic(observedOnly: true))
        }
        let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
        try store.append(DigestFixture.events)
        let data = FixtureData(digest: digest, archiveDirectory: directory, traffic: traffic, store: store)
        let dashboard = try Dashboard(data: data, feed: feed, settings: .init(host: "127.0.0.1", port: 0))
        let app = dashboard.application(logger: Logger(label: "test"))
        try await app.test(.live) { client in try await body(client, data) }
    }

    /// A form posted by curl, from `origin` (nil: no Origin header).
    static func post(
        _ client: any TestClientProtocol, _ path: String, _ fields: [String: String],
        origin: String? = "http://crumbs.internal", language: String? = nil
    ) async throws -> (status: Int, headers: [String: String], body: String) {
        var extra: [String] = []
        if let origin { extra += ["-H", "Origin: \(origin)"] }
        for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
            extra += ["--data-urlencode", "\(name)=\(value)"]
        }
        return try await get(client, path, language: language, extra: extra)
    }

    /// The form token a page carries.
    static func token(_ page: String) throws -> String {
        try #require(
            page.components(separatedBy: "name=\"token\" value=\"").dropFirst().first.map {
                String($0.prefix { $0 != "\"" })
            })
    }

    /// A request by curl (a real client, whose Host header the test chooses).
    static func get(
        _ client: any TestClientProtocol, _ path: String, host: String = "crumbs.internal", language: String? = nil,
        extra: [String] = []
    ) async throws -> (status: Int, headers: [String: String], body: String) {
        let port = try #require(client.port)
        var arguments = ["-s", "-i", "--path-as-is", "-m", "20", "-H", "Host: \(host)"] + extra
        if let language { arguments += ["-H", "Accept-Language: \(language)"] }
        let output = try await curl(arguments + ["http://127.0.0.1:\(port)\(path)"])
        let parts = output.components(separatedBy: "\r\n\r\n")
        let head = parts.first?.components(separatedBy: "\r\n") ?? []
        let status = head.first.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") } ?? 0
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        return (status, headers, parts.dropFirst().joined(separator: "\r\n\r\n"))
    }

    /// curl without blocking a thread of the concurrency pool (the server's handlers run there).
    static func curl(_ arguments: [String]) async throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        return try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { _ in
                let data = pipe.fileHandleForReading.readDataToEndOfFile()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }
            do {
                try process.run()
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }

    @Test func todayShowsTheDigestSoFarWithEveryNameEscaped() async throws {
        try await Self.withDashboard { client in
            let page = try await Self.get(client, "/")
            #expect(page.status == 200)
            #expect(page.body.contains("<html lang=\"en\">") && page.body.contains("Companies by reach"))
            #expect(page.body.contains("Alphabet") && page.body.contains("news.example"))
            #expect(!page.body.contains("<script>alert(1)</script>"), "a hostile host name as markup")
            #expect(!page.body.contains("<b>&</b>"), "a hostile company name as markup")
            #expect(page.body.contains("Evil &quot;Co&quot; &lt;b&gt;&amp;&lt;/b&gt;"))
            // Charts become tables (readable without script, by screen readers).
            #expect(page.body.contains("<caption>Share of the sites you visited that each company saw</caption>"))
        }
    }

    @Test func frenchFollowsAcceptLanguageAndTheSwitch() async throws {
        try await Self.withDashboard { client in
            let french = try await Self.get(client, "/", language: "fr-FR,fr;q=0.9,en;q=0.8")
            #expect(
                french.body.contains("<html lang=\"fr\">") && french.body.contains("Les entreprises et leur portée"))
            #expect(french.headers["content-language"] == "fr")
            #expect(french.body.contains("href=\"/?lang=en\"") && french.body.contains(">English</a>"))
            let switched = try await Self.get(client, "/devices?lang=en", language: "fr")
            #expect(switched.body.contains("<html lang=\"en\">") && switched.body.contains("First seen"))
            let preferred = try await Self.get(client, "/digests", language: "de;q=1, en;q=0.5, fr;q=0.7")
            #expect(preferred.body.contains("Bilans quotidiens"), "French weighs more than English here")
        }
    }

    @Test func otherHostNamesAreRefusedAndEveryResponseCarriesTheSecurityHeaders() async throws {
        try await Self.withDashboard { client in
            let rebinding = try await Self.get(client, "/", host: "attacker.example")
            #expect(rebinding.status == 421 && !rebinding.body.contains("Alphabet"))
            for path in ["/", "/digests", "/devices", "/static/dashboard.css", "/nothing-here"] {
                let page = try await Self.get(client, path)
                let policy = page.headers["content-security-policy"] ?? ""
                #expect(policy.hasPrefix("default-src 'self'") && !policy.contains("unsafe-inline"), "\(path)")
                #expect(page.headers["x-frame-options"] == "DENY", "\(path)")
                #expect(page.headers["access-control-allow-origin"] == nil, "\(path)")
            }
            #expect(try await Self.get(client, "/", host: "127.0.0.1:9").status == 200, "its own address")
        }
    }

    @Test func theArchiveServesDayNamedDigestsOnly() async throws {
        try await Self.withDashboard { client in
            let list = try await Self.get(client, "/digests", language: "fr")
            #expect(list.body.contains("<a href=\"/digests/2026-11-20.html\">20 novembre 2026</a>"))
            let day = try await Self.get(client, "/digests/2026-11-20.html")
            #expect(day.status == 200 && day.body.contains("Crumbs digest: 2026-11-20"))
            for path in ["/digests/..%2F..%2Fetc%2Fpasswd", "/digests/2026-11-21.html", "/digests/2026-11-20.json"] {
                #expect(try await Self.get(client, path).status == 404, "\(path)")
            }
        }
    }

    @Test func devicesAreListedWithTheirNamesAsText() async throws {
        try await Self.withDashboard { client in
            let page = try await Self.get(client, "/devices", language: "fr")
            #expect(page.body.contains("&lt;img src=x onerror=alert(1)&gt;") && !page.body.contains("<img src=x"))
            #expect(page.body.contains("1\u{202F}234") || page.body.contains("1\u{A0}234"), "French thousands")
        }
    }
}

/// `crumbs run` starts the dashboard on a loopback port, prints it in the banner, shows the
/// day's digests in the archive; `--dashboard off` leaves it out; anything but loopback is refused.
@Suite(.timeLimit(.minutes(2)))
struct DashboardRunTests {
    @Test func runServesTheDashboardOnLoopbackAndNamesItInTheBanner() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-dashboard-run-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, log, _) = try DigestRunTests.startRun(in: directory, [])
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        var output = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && process.isRunning && !output.contains("Press Ctrl-C") {
            try await Task.sleep(for: .milliseconds(50))
            output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        }
        let address = try #require(
            output.components(separatedBy: "in a browser using this proxy; http://127.0.0.1:").dropFirst().first?.prefix
            {
                $0.isNumber
            }, "\(output)")
        let page = try await DashboardTests.curl([
            "-s", "-m", "20", "-H", "Host: crumbs.internal", "-H", "Accept-Language: fr",
            "http://127.0.0.1:\(address)/",
        ])
        #expect(page.contains("<html lang=\"fr\">") && page.contains("Aujourd&#39;hui, jusqu&#39;ici"), "\(page)")
        // Through the proxy, as a browser reaches it: http://crumbs.internal/ is the dashboard,
        // with this browser's standing with the certificate (the client cannot say it itself),
        // /certificate is still the install page, and neither is recorded as browsing.
        let proxyPort = try #require(
            output.components(separatedBy: "Crumbs is listening on 127.0.0.1:").last?.prefix { $0.isNumber })
        let viaProxy = try await DashboardTests.curl([
            "-s", "-m", "20", "-x", "http://127.0.0.1:\(proxyPort)", "-H", "X-Crumbs-Trust: trusted",
            "http://crumbs.internal/",
        ])
        #expect(viaProxy.contains("<strong>Checking whether this browser trusts the Crumbs certificate"), "\(viaProxy)")
        #expect(!viaProxy.contains("<strong>Crumbs can see your HTTPS traffic"), "a client's own trust header")
        let certificate = try await DashboardTests.curl([
            "-s", "-m", "20", "-x", "http://127.0.0.1:\(proxyPort)", "http://crumbs.internal/certificate",
        ])
        #expect(certificate.contains("Crumbs"), "\(certificate.prefix(300))")
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let events = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path).events()
        #expect(!events.contains { $0.host == "crumbs.internal" || $0.host == "127.0.0.1" }, "dashboard recorded")
    }

    @Test func dashboardOffAndNonLoopbackAddresses() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-dashboard-off-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, log, _) = try DigestRunTests.startRun(in: directory, ["--dashboard", "0.0.0.0:18181"])
        process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(process.terminationStatus != 0)
        #expect(output.contains("--dashboard must be on a loopback address"), "\(output)")
        let (off, offLog, _) = try DigestRunTests.startRun(in: directory, ["--dashboard", "off"])
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline && off.isRunning && !text.contains("Press Ctrl-C") {
            Thread.sleep(forTimeInterval: 0.05)
            text = (try? String(contentsOf: offLog, encoding: .utf8)) ?? ""
        }
        off.terminate()
        off.waitUntilExit()
        #expect(text.contains("Press Ctrl-C") && !text.contains("Dashboard:"), "\(text)")
    }
}
