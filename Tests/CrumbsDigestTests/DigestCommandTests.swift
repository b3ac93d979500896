import CrumbsModel
import CrumbsReports
import CrumbsTestSupport
import Foundation
import Testing

@testable import crumbs

/// `crumbs digest`: options in-process, then the built binary on a fixture store.
struct DigestCommandTests {
    let zone = DigestFixture.zone
    let now = DigestFixture.time(15)

    @Test func dayOptionsNameLocalDays() throws {
        let yesterday = try DigestCommand.parse(["--day", "yesterday"]).period(now: now, timeZone: zone)
        #expect(yesterday.day == Day(year: 2026, month: 11, day: 19) && yesterday.phrase == "Yesterday")
        let today = try DigestCommand.parse([]).period(now: now, timeZone: zone)
        #expect(today.day == DigestFixture.day && today.phrase == "Today")
        #expect(today.start == DigestFixture.day.start(in: zone))
        let named = try DigestCommand.parse(["--day", "2026-11-01"]).period(now: now, timeZone: zone)
        #expect(named.phrase == "On 2026-11-01" && named.end.timeIntervalSince(named.start) == 25 * 3600)
    }

    @Test func sinceAndUntilTakeDaysLocalTimesAndISOTimes() throws {
        let period = try DigestCommand.parse(["--since", "2026-11-19T18:30", "--until", "2026-11-20T12:00:00Z"])
            .period(now: now, timeZone: zone)
        #expect(period.day == nil)
        #expect(period.start == DigestFixture.time(18, 30, dayOffset: -1))
        #expect(period.end == DigestFixture.time(7))
        #expect(period.phrase == "From 2026-11-19 18:30 to 2026-11-20 07:00")
    }

    @Test func badOptionsAreClearErrors() {
        #expect(throws: (any Error).self) { try DigestCommand.parse(["--day", "today", "--since", "2026-11-01"]) }
        #expect(throws: (any Error).self) { try DigestCommand.parse(["--format", "pdf"]) }
        #expect(throws: CLIError.self) {
            try DigestCommand.parse(["--day", "2026-13-01"]).period(now: now, timeZone: zone)
        }
        #expect(throws: CLIError.self) {
            try DigestCommand.parse(["--since", "2026-11-20", "--until", "2026-11-19"]).period(now: now, timeZone: zone)
        }
    }

    @Test func formatFollowsTheOutputFileThenTheTerminal() throws {
        #expect(try DigestCommand.parse(["--out", "d.html"]).resolvedFormat(stdoutIsTerminal: true) == .html)
        #expect(try DigestCommand.parse(["--out", "d.json"]).resolvedFormat(stdoutIsTerminal: true) == .json)
        #expect(try DigestCommand.parse(["--out", "d"]).resolvedFormat(stdoutIsTerminal: true) == .markdown)
        #expect(try DigestCommand.parse([]).resolvedFormat(stdoutIsTerminal: true) == .text)
        #expect(try DigestCommand.parse([]).resolvedFormat(stdoutIsTerminal: false) == .markdown)
        #expect(try DigestCommand.parse(["--format", "json"]).resolvedFormat(stdoutIsTerminal: true) == .json)
    }

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["CRUMBS_BINARY"] { return path }
        return TestFiles.repository.appendingPathComponent(".build/debug/crumbs").path
    }

    @Test func binaryWritesTheDigestOfANamedDay() throws {
        try DigestFixture.withStore { _, directory in
            var environment = ProcessInfo.processInfo.environment
            environment["TZ"] = "America/New_York"
            // English whatever language the machine running the tests speaks.
            for name in ["LANGUAGE", "LC_ALL", "LC_MESSAGES"] { environment[name] = nil }
            environment["LANG"] = "C.UTF-8"
            let out = directory.appendingPathComponent("d.json")
            try Unprivileged.handOver(directory)
            let command = Unprivileged.command(
                Self.binary, ["digest", "--data-dir", directory.path, "--day", "2026-11-20", "--out", out.path])
            let result = runTool(command.executable, command.arguments, environment: environment)
            #expect(result.status == 0, "\(result.error)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
            #expect(
                object["headline"] as? String
                    == "On 2026-11-20 you visited 3 sites. 4 companies saw you; Alphabet saw 3 of them (100%).")
            #expect(object["schemaVersion"] as? Int == 1)
        }
    }

    /// A digest made with the built-in suffix subset says so: its site counts rest on it.
    @Test func aDigestOnTheBuiltInSuffixListSaysSo() throws {
        try DigestFixture.withStore { _, directory in
            try Unprivileged.handOver(directory)
            let command = Unprivileged.command(
                Self.binary,
                [
                    "digest", "--data-dir", directory.path, "--day", "2026-11-20", "--psl", "/nonexistent/psl.dat",
                    "--format", "json",
                ])
            let result = runTool(command.executable, command.arguments)
            #expect(result.status == 0, "\(result.error)")
            #expect(result.error.contains("using Crumbs' built-in subset of the Public Suffix List"), "\(result.error)")
            #expect(result.error.contains("/nonexistent/psl.dat"), "\(result.error)")
        }
    }

    @Test func binaryRefusesAMissingDatabase() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-digest-\(UUID())")
        let command = Unprivileged.command(Self.binary, ["digest", "--data-dir", directory.path])
        let result = runTool(command.executable, command.arguments)
        #expect(result.status == 1)
        #expect(result.error.contains("no database at \(directory.path)/crumbs.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: directory.path))
    }
}
