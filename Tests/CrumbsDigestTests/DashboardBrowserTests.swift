import CrumbsModel
import CrumbsStore
import CrumbsTestSupport
import Foundation
import Testing

/// Every dashboard page in headless Chromium, reached as a user reaches it (http://crumbs.internal/
/// through `crumbs run`, running as an ordinary user), over a store holding the fixture day moved
/// to today: content, no console error or CSP refusal, every control reachable with Tab with a
/// visible focus, no serious or critical axe-core violation, in English and French; the live page
/// updating while a second client browses through the proxy; the forget form end to end.
/// Screenshots at desktop and phone widths land in artifacts/dashboard/.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct DashboardBrowserTests {
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    /// The fixture's events, moved so that its day is today (in the run's time zone).
    static func todaysEvents() -> [RequestEvent] {
        let today = Day(containing: Date(), in: DigestFixture.zone)
        let shift = Double(DigestFixture.day.days(to: today)) * 86_400
        return DigestFixture.events.map { event in
            var event = event
            event.time = event.time.addingTimeInterval(shift)
            return event
        }
    }

    struct Running {
        let process: Process
        let origin: Process
        let proxy: String
        let originURL: String
        let directory: URL

        func stop() {
            // SIGKILL for the plain web server: it inherits this test process's blocked signals,
            // SIGTERM would wait for ever. (crumbs handles its own.)
            for (process, signal) in [(process, SIGTERM), (origin, SIGKILL)] where process.isRunning {
                kill(process.processIdentifier, signal)
                process.waitUntilExit()
            }
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// `crumbs run` over the fixture store, and a plain web server for the second client.
    /// (Async, and waiting with `Task.sleep`: a test that blocks one of the concurrency pool's
    /// threads for a minute starves the other tests' servers on a 2-core machine.)
    static func start() async throws -> Running {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-tour-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
        try store.append(todaysEvents())
        try store.nameDevice(client: "127.0.0.1:5000", name: "Salle 2")
        let site = directory.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try "<!doctype html><title>second client</title>".write(
            to: site.appendingPathComponent("index.html"), atomically: true, encoding: .utf8)
        let psl = TestFiles.repository.appendingPathComponent(
            "Tests/Fixtures/Reference/psl/public_suffix_list-2023-02-09.dat")
        let (process, log, _) = try DigestRunTests.startRun(in: directory, ["--psl", psl.path])

        let origin = Process()
        let (executable, arguments) = Unprivileged.command(
            "/usr/bin/python3", ["-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", site.path])
        origin.executableURL = URL(fileURLWithPath: executable)
        origin.arguments = arguments
        let originLog = directory.appendingPathComponent("origin.txt")
        _ = FileManager.default.createFile(atPath: originLog.path, contents: nil)
        origin.standardOutput = try FileHandle(forWritingTo: originLog)
        origin.standardError = FileHandle.nullDevice
        try origin.run()

        var output = "", originOutput = ""
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline
            && (!output.contains("Press Ctrl-C") || !originOutput.contains(" port "))
            && process.isRunning
        {
            try await Task.sleep(for: .milliseconds(50))
            output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            originOutput = (try? String(contentsOf: originLog, encoding: .utf8)) ?? ""
        }
        let running = Running(process: process, origin: origin, proxy: "", originURL: "", directory: directory)
        guard
            let proxyPort = output.components(separatedBy: "Crumbs is listening on 127.0.0.1:").last?.prefix(
                while: \.isNumber),
            !proxyPort.isEmpty,
            let originPort = originOutput.components(separatedBy: " port ").last?.prefix(while: \.isNumber),
            !originPort.isEmpty
        else {
            running.stop()
            throw TourError.notStarted(output + originOutput)
        }
        return Running(
            process: process, origin: origin, proxy: "http://127.0.0.1:\(proxyPort)",
            originURL: "http://127.0.0.1:\(originPort)/", directory: directory)
    }

    enum TourError: Error { case notStarted(String) }

    /// The tour's report (scripts/dashboard-tour), its output in a file (it can outgrow a pipe),
    /// waited for without holding a thread.
    static func tour(_ running: Running, language: String, extra: [String] = []) async throws -> [String: Any] {
        let output = running.directory.appendingPathComponent("tour-\(language).json")
        let errors = running.directory.appendingPathComponent("tour-\(language).log")
        for file in [output, errors] { _ = FileManager.default.createFile(atPath: file.path, contents: nil) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments =
            [
                "-s", "KILL", "180", "/usr/bin/python3",
                TestFiles.repository.appendingPathComponent("scripts/dashboard-tour").path, "--proxy", running.proxy,
                "--axe", TestFiles.repository.appendingPathComponent("Tests/Fixtures/axe/axe.min.js").path,
                "--screenshots", TestFiles.repository.appendingPathComponent("artifacts/dashboard").path, "--lang",
                language,
            ] + extra
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        let log = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        #expect(status == 0, "\(log)")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: output)) as? [String: Any]
        return try #require(report, "\(log)")
    }

    /// What every page must be, whatever its language.
    static func checkEveryPage(_ report: [String: Any], headings: [String: String], language: String) throws {
        let pages = try #require(report["pages"] as? [String: [String: Any]])
        #expect(pages.count == 8)
        for (path, page) in pages.sorted(by: { $0.key < $1.key }) {
            #expect(page["lang"] as? String == language, "\(path)")
            if let heading = headings[path] { #expect(page["heading"] as? String == heading, "\(path)") }
            #expect((page["problems"] as? [String])?.isEmpty == true, "\(path): \(page["problems"] ?? "")")
            let keyboard = try #require(page["keyboard"] as? [String: Any])
            let focusable = keyboard["focusable"] as? Int ?? -1
            #expect(focusable > 0 && keyboard["reached"] as? Int == focusable, "\(path): \(keyboard)")
            #expect((keyboard["withoutVisibleFocus"] as? [String])?.isEmpty == true, "\(path): \(keyboard)")
            let violations = try #require(page["axe"] as? [[String: Any]])
            let serious = violations.filter { ["serious", "critical"].contains($0["impact"] as? String ?? "") }
            #expect(serious.isEmpty, "\(path): \(serious)")
        }
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed (scripts/test installs it)"))
    func everyPageInEnglishWithTheLiveFeedAndTheForgetForm() async throws {
        let running = try await Self.start()
        defer { running.stop() }
        let report = try await Self.tour(
            running, language: "en",
            extra: [
                "--second-client-url", running.originURL, "--live-marker", "127.0.0.1", "--forget-site",
                "shop.example",
            ])
        try Self.checkEveryPage(
            report,
            headings: [
                "/": "Today so far", "/live": "Live requests",
                "/graph?days=30": "Sites and the third parties they contact",
                "/digests": "Daily digests", "/devices": "Devices", "/lists": "Tracker lists in use",
                "/privacy": "Privacy and forgetting", "/certificate": "Trust the Crumbs certificate authority",
            ], language: "en")
        let pages = try #require(report["pages"] as? [String: [String: Any]])
        let today = pages["/"]?["text"] as? String ?? ""
        #expect(today.contains("Alphabet") && today.contains("news.example"), "\(today.prefix(400))")
        let graph = pages["/graph?days=30"]?["text"] as? String ?? ""
        #expect(graph.contains("doubleclick.net") && graph.contains("link to a tracker, guessed"))
        #expect((pages["/devices"]?["text"] as? String ?? "").contains("127.0.0.1:5000"))

        let live = try #require(report["live"] as? [String: Any])
        #expect(live["updated"] as? Bool == true, "the second client's requests reached the open page: \(live)")
        #expect((live["problems"] as? [String])?.isEmpty == true, "\(live)")
        let forget = try #require(report["forget"] as? [String: Any])
        #expect((forget["counted"] as? String ?? "").hasPrefix("Events to forget: "), "\(forget)")
        #expect((forget["forgotten"] as? String ?? "").hasPrefix("Events forgotten: "), "\(forget)")
        running.process.terminate()
        running.process.waitUntilExit()
        let events = try EventStore(path: running.directory.appendingPathComponent("crumbs.sqlite").path).events()
        #expect(!events.contains { $0.host == "shop.example" || $0.classification?.firstPartySite == "shop.example" })
        #expect(events.contains { $0.host == "127.0.0.1" }, "the second client was recorded")
        #expect(!events.contains { $0.host == "crumbs.internal" }, "the dashboard is never recorded")
    }

    @Test(.enabled(if: chromium != nil, "chromium is not installed (scripts/test installs it)"))
    func everyPageInFrench() async throws {
        let running = try await Self.start()
        defer { running.stop() }
        let report = try await Self.tour(running, language: "fr")
        try Self.checkEveryPage(
            report,
            headings: [
                "/": "Aujourd'hui, jusqu'ici", "/live": "Requêtes en direct", "/digests": "Bilans quotidiens",
                "/devices": "Appareils", "/privacy": "Vie privée et oubli",
            ], language: "fr")
        let pages = try #require(report["pages"] as? [String: [String: Any]])
        #expect((pages["/graph?days=30"]?["text"] as? String ?? "").contains("lien vers un traqueur, supposé"))
    }
}
