import CrumbsLists
import CrumbsModel
import CrumbsStore
import CrumbsTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// No proxy at all: headless Chromium resolves every name to the local world
    /// (`--host-resolver-rules`), trusts the world's CA as it trusts real sites', and tours it
    /// while `scripts/chromium-har` records its HAR through the DevTools protocol. `crumbs import`
    /// reads that HAR; the site → tracker links it stores, and their companies, must be exactly
    /// what the world served.
    @Suite(.timeLimit(.minutes(4)))
    struct HARImportWorldTests {
        @Test func aBrowsersOwnRecordingGivesExactlyTheServedLinks() async throws {
            let world = try await BrowseWorld.start()
            let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-har-world-\(UUID())")
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let worldCA = scratch.appendingPathComponent("world-ca.pem")
            try world.authority.certificate.pem.write(to: worldCA, atomically: true, encoding: .utf8)
            let nssdb = scratch.appendingPathComponent("home/.pki/nssdb")
            try FileManager.default.createDirectory(at: nssdb, withIntermediateDirectories: true)
            try runTool("/usr/bin/certutil", ["-N", "-d", "sql:\(nssdb.path)", "--empty-password"])
            try runTool(
                "/usr/bin/certutil", ["-A", "-d", "sql:\(nssdb.path)", "-t", "C,,", "-n", "World", "-i", worldCA.path])

            let har = scratch.appendingPathComponent("tour.har")
            let rules = "MAP *:80 127.0.0.1:\(world.httpPort), MAP *:443 127.0.0.1:\(world.httpsPort)"
            let recorder = Process()
            recorder.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
            recorder.arguments = [
                "150", "/usr/bin/python3", Self.repository.appendingPathComponent("scripts/chromium-har").path,
                "--out", har.path, "--until", "/done", "--timeout", "120",
                "--chromium-arg=--host-resolver-rules=\(rules)", BrowseWorld.tour[0],
            ]
            recorder.environment = ["HOME": scratch.appendingPathComponent("home").path, "PATH": "/usr/bin:/bin"]
            recorder.standardOutput = FileHandle.nullDevice
            try recorder.run()
            while recorder.isRunning { try await Task.sleep(for: .milliseconds(100)) }
            let finished = world.tourIsOver
            await world.stop()
            #expect(recorder.terminationStatus == 0)
            #expect(finished, "the tour did not reach its end: \(world.served.withLockedValue { $0 })")

            let data = scratch.appendingPathComponent("data")
            try Unprivileged.handOver(scratch)
            let command = Unprivileged.command(
                CrumbsProcess.binary.path, ["import", "--data-dir", data.path, "--device", "tour", har.path])
            let importer = Process()
            importer.executableURL = URL(fileURLWithPath: command.executable)
            importer.arguments = command.arguments
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_CONFIG_HOME"] = scratch.appendingPathComponent("config").path
            importer.environment = environment
            let output = Pipe()
            importer.standardOutput = output
            try importer.run()
            let summary = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            importer.waitUntilExit()
            #expect(importer.terminationStatus == 0, "\(summary)")
            print("har-world import: \(summary)")

            let events = try EventStore(path: data.appendingPathComponent("crumbs.sqlite").path).events()
            #expect(events.allSatisfy { $0.source == .har && $0.clientAddress == "tour" })
            let sites = PublicSuffixList.builtIn
            var reported: Set<BrowseWorld.Pair> = []
            var guesses = 0
            for event in events {
                guard let c = event.classification, c.isTracker, c.isThirdParty, let site = c.firstPartySite else {
                    continue
                }
                if c.confidence < .medium { guesses += 1 }
                reported.insert(BrowseWorld.Pair(site: site, host: sites.site(ofHost: event.host) ?? event.host))
            }
            let truth = Set(
                BrowseWorld.truth.map { BrowseWorld.Pair(site: $0.site, host: sites.site(ofHost: $0.host) ?? $0.host) })
            let wrong = reported.subtracting(truth).map(\.description).sorted()
            let missed = truth.subtracting(reported).map(\.description).sorted()
            print(
                "har-world: \(reported.count) links reported, \(truth.count) served; wrong \(wrong); missed \(missed)")
            // Precision and recall 1.0: a HAR knows each request's page.
            #expect(wrong.isEmpty && missed.isEmpty)
            #expect(guesses == 0)
            let owners = [
                "google-analytics.com": "Google", "googletagmanager.com": "Google", "doubleclick.net": "Google",
                "facebook.net": "Meta", "facebook.com": "Meta", "bing.com": "Microsoft", "clarity.ms": "Microsoft",
                "adnxs.com": "Microsoft", "rubiconproject.com": "Magnite", "criteo.net": "Criteo",
            ]
            for event in events where event.classification?.isTracker == true {
                let domain = sites.site(ofHost: event.host) ?? event.host
                guard let owner = owners[domain] else { continue }
                #expect(
                    event.classification?.company == owner, "\(event.host): \(event.classification?.company ?? "-")")
            }
            // Every page of the tour is a page of the HAR, each attributed to its own site.
            let pages = Set(events.filter { $0.classification?.attribution == .navigation }.map(\.host))
            #expect(pages.isSuperset(of: BrowseWorld.sites.map { "www." + $0.name }))
        }

        static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
    }
}
