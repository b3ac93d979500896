import CrumbsModel
import CrumbsStore
import CrumbsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `crumbs run` starts the digest scheduler: on a store with events from earlier days, the missed
/// digests appear under `<data dir>/digests` right after start, and the digest command runs.
struct DigestRunTests {
    @Test func runWritesMissedDigestsWhenItStarts() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-digest-run-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let zone = TimeZone(identifier: "America/New_York")!
        let today = Day(containing: Date(), in: zone)
        let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
        try store.append(
            [3, 1].map { daysAgo in
                DigestFixture.page("news.example", at: today.adding(days: -daysAgo).start(in: zone) + 12 * 3600)
            })
        let marker = directory.appendingPathComponent("command.txt")

        let (process, log, _) = try Self.startRun(
            in: directory, ["--digest-at", "00:00", "--digest-command", "echo >>'\(marker.path)'"])
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }

        // Three days: from the first event's day to yesterday (due since 00:00 today).
        let expected = (1...3).reversed().map { today.adding(days: -$0) }
        let digests = directory.appendingPathComponent("digests")
        // Bounded by time, generously: the whole suite may be running beside it on two cores.
        let deadline = Date().addingTimeInterval(60)
        var done = false
        while !done && Date() < deadline && process.isRunning {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: digests.path)) ?? []
            let commands = (try? String(contentsOf: marker, encoding: .utf8))?.split(separator: "\n").count ?? 0
            done = names.filter { $0.hasSuffix(".json") }.count == 3 && commands == 3
            if !done { Thread.sleep(forTimeInterval: 0.05) }
        }
        process.terminate()
        process.waitUntilExit()
        let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(done, "\(output)")
        let names = try FileManager.default.contentsOfDirectory(atPath: digests.path).sorted()
        #expect(names == expected.flatMap { day in ["html", "json", "md"].map { "\(day).\($0)" } })
        #expect(output.contains("digest written"))
        let markdown = try String(
            contentsOf: digests.appendingPathComponent("\(today.adding(days: -1)).md"), encoding: .utf8)
        #expect(markdown.contains("Yesterday you visited 1 site."))
    }

    /// A household's run: per-device digests beside the day's, retention once they are written,
    /// the levels in the banner; then a forget that rewrites the day's digests, per device too.
    @Test func runWritesPerDeviceDigestsThenAppliesRetention() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-retention-run-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let zone = TimeZone(identifier: "America/New_York")!
        let today = Day(containing: Date(), in: zone)
        let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
        let noon = { (daysAgo: Int) in today.adding(days: -daysAgo).start(in: zone) + 12 * 3600 }
        try store.append([
            DigestFixture.page("old.example", at: noon(3), client: "192.168.1.20"),
            DigestFixture.page("news.example", at: noon(1), client: "192.168.1.20"),
            DigestFixture.page("clinic.example", at: noon(1), client: "192.168.1.21"),
        ])
        try store.nameDevice(client: "192.168.1.21", name: "Kitchen tablet")
        let (process, log, environment) = try Self.startRun(
            in: directory, ["--digest-at", "00:00", "--digest-per-device", "--retention-days", "2"])
        defer {
            if process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
            }
        }
        let deadline = Date().addingTimeInterval(60)
        var output = ""
        while Date() < deadline && process.isRunning && !output.contains("retention applied") {
            Thread.sleep(forTimeInterval: 0.05)
            output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        }
        process.terminate()
        process.waitUntilExit()
        #expect(output.contains("retention applied"), "\(output)")
        #expect(output.contains("Privacy:   record = full, clients = addresses, retention = 2 days"))
        let digests = directory.appendingPathComponent("digests")
        let yesterday = today.adding(days: -1)
        let tablet = digests.appendingPathComponent("devices/Kitchen_tablet/\(yesterday).md")
        let tabletDigest = try String(contentsOf: tablet, encoding: .utf8)
        #expect(tabletDigest.contains("device Kitchen tablet only") && tabletDigest.contains("clinic.example"))
        #expect(!tabletDigest.contains("news.example"))
        let other = try String(
            contentsOf: digests.appendingPathComponent("devices/192.168.1.20/\(yesterday).md"), encoding: .utf8)
        #expect(other.contains("news.example") && !other.contains("clinic.example"))
        #expect(
            FileManager.default.fileExists(
                atPath: digests.appendingPathComponent("\(today.adding(days: -3)).json").path))
        let events = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path).events()
        #expect(!events.contains { $0.host.contains("old.example") }, "older than two days: gone")
        #expect(events.count == 2)

        // Forgetting the clinic rewrites the day's digest and removes the tablet's.
        let forget = Process()
        Unprivileged.configure(
            forget, executable: DigestCommandTests.binary,
            arguments: ["forget", "--data-dir", directory.path, "--site", "clinic.example", "--yes"])
        forget.environment = environment
        forget.standardOutput = FileHandle.nullDevice
        try forget.run()
        forget.waitUntilExit()
        #expect(forget.terminationStatus == 0)
        #expect(!FileManager.default.fileExists(atPath: tablet.path))
        for path in try FileManager.default.subpathsOfDirectory(atPath: digests.path) {
            let data = (try? Data(contentsOf: digests.appendingPathComponent(path))) ?? Data()
            #expect(data.range(of: Data("clinic.example".utf8)) == nil, "\(path)")
        }
    }

    /// `crumbs run` on `directory` as the unprivileged user, in New York time, its output in
    /// `log.txt`; the caller stops it.
    static func startRun(in directory: URL, _ arguments: [String]) throws -> (
        process: Process, log: URL, environment: [String: String]
    ) {
        try Unprivileged.handOver(directory)
        let process = Process()
        Unprivileged.configure(
            process, executable: DigestCommandTests.binary,
            arguments: ["run", "--listen", "127.0.0.1:0", "--data-dir", directory.path, "--no-default-lists"]
                + arguments)
        var environment = ProcessInfo.processInfo.environment
        environment["TZ"] = "America/New_York"
        environment["XDG_CONFIG_HOME"] = directory.appendingPathComponent("config").path
        process.environment = environment
        let log = directory.appendingPathComponent("log.txt")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: log)
        process.standardOutput = logHandle
        process.standardError = logHandle
        try process.run()
        return (process, log, environment)
    }
}
