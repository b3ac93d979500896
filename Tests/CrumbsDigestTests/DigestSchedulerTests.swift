import CrumbsLists
import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation
import Logging
import Testing

@testable import crumbs

/// The scheduler `crumbs run` starts, driven by a fake clock over the fixture store: the files it
/// writes are its only state.
struct DigestSchedulerTests {
    static let psl = PublicSuffixList.builtIn

    private func scheduler(_ directory: URL, command: String? = nil) -> DigestScheduler {
        DigestScheduler(
            schedule: DigestSchedule(hour: 0, minute: 5, timeZone: DigestFixture.zone),
            // As `crumbs run` hands it the recorder's store; here the fixture's file, when there is one.
            store: {
                let path = directory.appendingPathComponent("crumbs.sqlite").path
                return FileManager.default.fileExists(atPath: path) ? try? EventStore(path: path) : nil
            },
            directory: directory.appendingPathComponent("digests").path, command: command,
            resolver: PublicSuffixList.builtIn,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    private func files(_ directory: URL) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("digests").path).sorted()
    }

    @Test func writesEachDayOnceAndCatchesUpAfterDowntime() throws {
        try DigestFixture.withStore { store, directory in
            let scheduler = scheduler(directory)
            // Started at noon on the 20th: the 18th and 19th are caught up.
            let first = scheduler.catchUp(at: DigestFixture.time(12))
            #expect(first.map(\.description) == ["2026-11-18", "2026-11-19"])
            #expect(
                try files(directory) == [
                    "2026-11-18.html", "2026-11-18.json", "2026-11-18.md", "2026-11-19.html", "2026-11-19.json",
                    "2026-11-19.md",
                ])
            // Later the same day, and just before the run time next day: nothing new.
            #expect(scheduler.catchUp(at: DigestFixture.time(23)) == [])
            #expect(scheduler.catchUp(at: DigestFixture.time(0, 4, dayOffset: 1)) == [])
            // At 00:05 the 20th is due; after three days down, the 21st to the 23rd come at once.
            #expect(scheduler.catchUp(at: DigestFixture.time(0, 5, dayOffset: 1)).map(\.description) == ["2026-11-20"])
            #expect(
                scheduler.catchUp(at: DigestFixture.time(9, dayOffset: 4)).map(\.description) == [
                    "2026-11-21", "2026-11-22", "2026-11-23",
                ])
            let markdown = try String(
                contentsOf: directory.appendingPathComponent("digests/2026-11-20.md"), encoding: .utf8)
            #expect(markdown.contains("Yesterday you visited 3 sites."))
            // The cookie findings of a written day are stored; days without cookies store none.
            let findings = try #require(try store.cookieFindings(day: "2026-11-20"))
            #expect(!findings.thirdPartyCookies.isEmpty)
            #expect(try store.cookieFindings(day: "2026-11-21") == nil)
        }
    }

    @Test func aRestartedSchedulerDoesNotRewriteDays() throws {
        try DigestFixture.withStore { _, directory in
            #expect(scheduler(directory).catchUp(at: DigestFixture.time(12)).count == 2)
            let json = directory.appendingPathComponent("digests/2026-11-19.json")
            let before = try FileManager.default.attributesOfItem(atPath: json.path)[.modificationDate] as? Date
            // A new instance (a restarted `crumbs run`) sees the files and has nothing to do.
            #expect(scheduler(directory).catchUp(at: DigestFixture.time(13)) == [])
            let after = try FileManager.default.attributesOfItem(atPath: json.path)[.modificationDate] as? Date
            #expect(before == after)
        }
    }

    @Test func aDayWithoutItsJSONFileIsWrittenAgain() throws {
        try DigestFixture.withStore { _, directory in
            scheduler(directory).catchUp(at: DigestFixture.time(12))
            try FileManager.default.removeItem(at: directory.appendingPathComponent("digests/2026-11-19.json"))
            #expect(scheduler(directory).catchUp(at: DigestFixture.time(13)).map(\.description) == ["2026-11-19"])
        }
    }

    @Test func withoutADatabaseNothingIsWrittenOrCreated() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-digest-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(scheduler(directory).catchUp(at: DigestFixture.time(12)) == [])
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("crumbs.sqlite").path))
    }

    @Test func theDigestCommandGetsTheThreeFilePaths() throws {
        try DigestFixture.withStore { _, directory in
            let record = directory.appendingPathComponent("command.txt")
            let command = "printf '%s\\n' >>'\(record.path)'"
            #expect(
                scheduler(directory, command: command).catchUp(at: DigestFixture.time(0, 6, dayOffset: -1)).count == 1)
            // The command runs in the background: wait for its three lines, for at most 30 s.
            let deadline = Date().addingTimeInterval(30)
            var arrived = false
            while !arrived && Date() < deadline {
                let text = (try? String(contentsOf: record, encoding: .utf8)) ?? ""
                arrived = text.split(separator: "\n").count == 3
                if !arrived { Thread.sleep(forTimeInterval: 0.01) }
            }
            #expect(arrived)
            let lines = try String(contentsOf: record, encoding: .utf8).split(separator: "\n").map(String.init)
            let digests = directory.appendingPathComponent("digests").path
            #expect(lines == ["md", "html", "json"].map { "\(digests)/2026-11-18.\($0)" })
        }
    }

    @Test func digestAtIsReadFromFlagsThenConfigAndCanBeTurnedOff() throws {
        let fromConfig = try RunOptions.parse([])
            .digestScheduler(
                config: try ConfigFile(text: "digest-at = \"07:30\""), dataDirectory: "/tmp/x", store: { nil },
                resolver: Self.psl)
        #expect(fromConfig?.schedule.hour == 7 && fromConfig?.schedule.minute == 30)
        #expect(fromConfig?.directory == "/tmp/x/digests")
        let flag = try RunOptions.parse(["--digest-at", "off"])
            .digestScheduler(
                config: try ConfigFile(text: "digest-at = \"07:30\""), dataDirectory: "/tmp/x", store: { nil },
                resolver: Self.psl)
        #expect(flag == nil)
        let defaults = try RunOptions.parse([]).digestScheduler(
            config: ConfigFile(), dataDirectory: "/tmp/x", store: { nil }, resolver: Self.psl)
        #expect(defaults?.schedule.hour == 0 && defaults?.schedule.minute == 5)
        #expect(throws: CLIError.self) {
            try RunOptions.parse(["--digest-at", "25:00"]).digestScheduler(
                config: ConfigFile(), dataDirectory: "/x", store: { nil }, resolver: Self.psl)
        }
    }
}
