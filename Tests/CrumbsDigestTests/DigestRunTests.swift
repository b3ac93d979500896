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

        try Unprivileged.handOver(directory)
        let process = Process()
        Unprivileged.configure(
            process, executable: DigestCommandTests.binary,
            arguments: [
                "run", "--listen", "127.0.0.1:0", "--data-dir", directory.path, "--no-default-lists",
                "--digest-at", "00:00", "--digest-command", "echo >>'\(marker.path)'",
            ])
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
}
