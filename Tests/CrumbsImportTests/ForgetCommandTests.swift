import CrumbsModel
import CrumbsStore
import CrumbsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `crumbs forget` and `crumbs devices` as a user runs them, on stores filled by `crumbs import`
/// from the exporters' fixtures (news-daily.test, shop-online.test, quiet-notes.test, all on
/// 2024-05-01).
@Suite(.timeLimit(.minutes(3)))
struct ForgetCommandTests {
    static let day = "2024-05-01"

    /// Imports the three recordings, and writes the day's digests where `crumbs run` writes them.
    static func filledWorkspace(_ extra: [String] = []) throws -> ImportWorkspace {
        let workspace = try ImportWorkspace()
        try workspace.importFiles(
            [
                try workspace.copy(fixture: "chromium-devtools.har"), try workspace.copy(fixture: "webpagetest.har"),
                try workspace.copy(fixture: "safari.har"),
            ], extra)
        try writeDigests(workspace)
        return workspace
    }

    static func writeDigests(_ workspace: ImportWorkspace) throws {
        let digests = workspace.data.appendingPathComponent("digests")
        try FileManager.default.createDirectory(at: digests, withIntermediateDirectories: true)
        try Unprivileged.handOver(workspace.directory)
        for format in ["md", "html", "json"] {
            let run = try workspace.crumbs(
                "digest", ["--day", day, "--out", digests.appendingPathComponent("\(day).\(format)").path])
            guard run.status == 0 else { throw ImportTestError("digest failed: \(run.error)") }
        }
    }

    @Test func aForgottenSiteLeavesNoTraceInAnyFileOfTheDataDirectory() throws {
        let workspace = try Self.filledWorkspace()
        let before = try workspace.allStoredBytes()
        #expect(before.contains("news-daily"), "the test would prove nothing")
        #expect(try workspace.events().count == 10)

        let dry = try workspace.crumbs("forget", ["--site", "news-daily.test", "--dry-run"])
        #expect(dry.status == 0, "\(dry.error)")
        #expect(dry.output.contains("Would forget: 5 events"), "\(dry.output)")
        #expect(dry.output.contains("the digests of 1 days"))
        #expect(try workspace.events().count == 10, "a dry run changes nothing")

        let run = try workspace.crumbs("forget", ["--site", "news-daily.test", "--yes"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("Forgotten: 5 events ("), "\(run.output)")
        #expect(run.output.contains("Digests rewritten for 1 days, removed for 0"), "\(run.output)")
        #expect(run.output.contains("log truncated"))
        let after = try workspace.allStoredBytes()
        #expect(!after.contains("news-daily"), "every file of the data directory, the database's log included")
        #expect(!after.contains("NEWS-DAILY"))
        #expect(after.contains("shop-online"), "the other sites stay")
        let digest = try String(
            contentsOf: workspace.data.appendingPathComponent("digests/\(Self.day).md"), encoding: .utf8)
        #expect(digest.contains("shop-online.test") && !digest.contains("news-daily"))
        let events = try workspace.events()
        #expect(events.count == 5 && !events.contains { $0.host.contains("news-daily") })
        #expect(
            try EventStore(path: workspace.database.path).imports().map(\.fileName).sorted() == [
                "safari.har", "webpagetest.har",
            ])
    }

    @Test func forgettingEverythingRemovesTheDigestsToo() throws {
        let workspace = try Self.filledWorkspace()
        let run = try workspace.crumbs("forget", ["--all", "--yes"])
        #expect(run.status == 0, "\(run.error)")
        #expect(run.output.contains("removed for 1"), "\(run.output)")
        #expect(try workspace.events().isEmpty)
        let digests = try FileManager.default.contentsOfDirectory(
            atPath: workspace.data.appendingPathComponent("digests").path)
        #expect(digests.isEmpty)
        for site in ["news-daily", "shop-online", "quiet-notes"] {
            #expect(!(try workspace.allStoredBytes()).contains(site))
        }
    }

    @Test func badRequestsSayWhatIsWrongAndDeleteNothing() throws {
        let workspace = try Self.filledWorkspace()
        let cases: [([String], String)] = [
            (["--site", "nowhere.test", "--yes"], "nothing matches: nothing was deleted"),
            (["--device", "Nobody's phone", "--yes"], "no device named \"Nobody's phone\""),
            (["--client", "10.9.9.9", "--yes"], "no events from client 10.9.9.9"),
            (["--before", "01/05/2024", "--yes"], "--before 01/05/2024 is not YYYY-MM-DD"),
            (["--yes"], "say what to forget"),
            (["--all", "--site", "news-daily.test"], "--all forgets everything"),
            (["--source", "carrier-pigeon"], "--source must be one of proxy, har, capture"),
            (["--since", "2024-05-02", "--until", "2024-05-01"], "--since must be before --until"),
        ]
        for (arguments, message) in cases {
            let run = try workspace.crumbs("forget", arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.error.contains(message), "\(arguments): \(run.error)")
        }
        #expect(try workspace.events().count == 10)
        let missing = try ImportWorkspace().crumbs("forget", ["--all", "--yes"])
        #expect(missing.status != 0 && missing.error.contains("no database"))
    }

    @Test func devicesAreListedNamedSelectedAndForgotten() throws {
        let workspace = try ImportWorkspace()
        try workspace.importFiles([try workspace.copy(fixture: "chromium-devtools.har")], ["--device", "laptop"])
        try workspace.importFiles([try workspace.copy(fixture: "webpagetest.har")], ["--device", "tablet"])
        let list = try workspace.crumbs("devices", [])
        #expect(list.status == 0, "\(list.error)")
        #expect(list.output.contains("laptop") && list.output.contains("tablet"), "\(list.output)")

        let named = try workspace.crumbs("devices name", ["laptop", "Alice's <laptop>"])
        #expect(named.status == 0, "\(named.error)")
        let taken = try workspace.crumbs("devices name", ["tablet", "alice's <LAPTOP>"])
        #expect(taken.status != 0 && taken.error.contains("already given to laptop"), "\(taken.error)")
        let json = try workspace.crumbs("devices list", ["--json"])
        let devices = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [[String: Any]]
        #expect(devices?.first { $0["client"] as? String == "laptop" }?["name"] as? String == "Alice's <laptop>")

        let digest = try workspace.crumbs(
            "digest",
            ["--since", "2024-04-30", "--until", "2024-05-03", "--device", "Alice's <laptop>", "--format", "json"])
        #expect(digest.status == 0, "\(digest.error)")
        #expect(digest.output.contains("news-daily.test") && !digest.output.contains("shop-online.test"))
        #expect(digest.output.contains("device Alice's <laptop> only"))

        let graph = try workspace.crumbs("graph", ["--by", "device", "--format", "json"])
        #expect(graph.status == 0, "\(graph.error)")
        let nodes = try #require(
            (try JSONSerialization.jsonObject(with: Data(graph.output.utf8)) as? [String: Any])?["nodes"]
                as? [[String: Any]])
        let deviceNodes = nodes.filter { $0["kind"] as? String == "device" }.compactMap { $0["label"] as? String }
        #expect(deviceNodes.sorted() == ["Alice's <laptop>", "tablet"])
        #expect(nodes.contains { $0["kind"] as? String == "company" && $0["label"] as? String == "Google" })

        let forget = try workspace.crumbs("devices forget", ["Alice's <laptop>", "--yes"])
        #expect(forget.status == 0, "\(forget.error)")
        #expect(try workspace.events().allSatisfy { $0.clientAddress == "tablet" })
        #expect(!(try workspace.crumbs("devices", []).output.contains("Alice")))
    }

    @Test func privacyLevelsFromTheConfigFileApplyToImportsAndTheDigestStatesThem() throws {
        let workspace = try ImportWorkspace()
        let config = workspace.directory.appendingPathComponent("config/crumbs")
        try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)
        try Data("record = \"sites\"\nclients = \"pseudonyms\"\nretention-days = 30\n".utf8)
            .write(to: config.appendingPathComponent("config.toml"))
        try workspace.importFiles([try workspace.copy(fixture: "chromium-devtools.har")], ["--device", "laptop"])
        let events = try workspace.events()
        #expect(!events.isEmpty)
        #expect(events.allSatisfy { $0.path == nil && $0.cookiesSent.isEmpty && $0.cookiesSet.isEmpty })
        #expect(Set(events.map(\.host)).isSubset(of: ["news-daily.test", "facebook.com", "google-analytics.com"]))
        #expect(events.allSatisfy { $0.clientAddress.hasPrefix("anon-") })
        #expect(!(try workspace.allStoredBytes()).contains("laptop"), "the label is stored as its pseudonym")
        // The pseudonym is found again from the label.
        let digest = try workspace.crumbs(
            "digest", ["--since", "2024-04-30", "--until", "2024-05-03", "--device", "laptop", "--format", "markdown"])
        #expect(digest.status == 0, "\(digest.error)")
        #expect(digest.output.contains("record = sites, clients = pseudonyms"), "\(digest.output)")
        #expect(digest.output.contains("deleted after 30 days"))
        #expect(digest.output.contains("Not recorded: at the privacy level record = sites"))
        #expect(digest.output.contains("news-daily.test"))
    }

    /// SIGKILL at several moments of a forget on a store big enough to take a while: each time the
    /// store is intact and holds either everything or exactly what the forget leaves.
    @Test func aForgetKilledHalfWayLeavesAConsistentStore() throws {
        let workspace = try ImportWorkspace()
        try FileManager.default.createDirectory(at: workspace.data, withIntermediateDirectories: true)
        let total = 60_000
        do {
            let store = try EventStore(path: workspace.database.path)
            var batch: [RequestEvent] = []
            for index in 0..<total {
                let site = index % 3 == 0 ? "doomed.example" : "kept\(index % 7).example"
                var event = RequestEvent(
                    time: Date(timeIntervalSince1970: 1_714_521_600 + Double(index)),
                    clientAddress: "10.0.0.\(index % 5)",
                    method: "GET", scheme: "https", host: "cdn.\(site)", port: 443, path: "/asset/\(index)",
                    cookiesSent: [SentCookie(name: "uid", valueHash: "h\(index)", valueLength: 8)])
                event.classification = Classification(
                    firstPartySite: site, attribution: .referer, confidence: .high, requestType: "script")
                batch.append(event)
                if batch.count == 5_000 {
                    try store.append(batch)
                    batch.removeAll(keepingCapacity: true)
                }
            }
        }
        try Unprivileged.handOver(workspace.directory)
        var killedMidway = 0
        for delay in [0.15, 0.3, 0.6, 1.0, 1.6] {
            let process = try workspace.launch("forget", ["--site", "doomed.example", "--yes"])
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            if process.terminationReason == .uncaughtSignal { killedMidway += 1 }
            let store = try EventStore(path: workspace.database.path)
            #expect(try store.integrityCheck() == ["ok"])
            let count = try store.eventCount()
            #expect(count == total || count == total - total / 3, "all or nothing, not \(count)")
            if count != total { break }
        }
        #expect(killedMidway > 0, "no kill landed before the forget ended: the store is too small to test this")
        let finish = try workspace.crumbs("forget", ["--site", "doomed.example", "--yes"])
        #expect(finish.status == 0 || finish.error.contains("nothing matches"))
        #expect(try EventStore(path: workspace.database.path).eventCount() == total - total / 3)
    }
}
