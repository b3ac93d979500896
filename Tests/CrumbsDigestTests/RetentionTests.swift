import CrumbsLists
import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation
import Logging
import Testing

@testable import crumbs

/// `retention-days` in the running proxy: old events go once their digests are written; the
/// digests stay unless `--with-digests`.
struct RetentionTests {
    static let zone = DigestFixture.zone
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private func housekeeper(_ directory: URL, store: EventStore, days: Int, withDigests: Bool = false) -> Housekeeper {
        let digests = DigestScheduler(
            schedule: DigestSchedule(hour: 0, minute: 5, timeZone: Self.zone), store: { store },
            directory: directory.appendingPathComponent("digests").path, command: nil,
            resolver: PublicSuffixList.builtIn, logger: Self.quiet)
        return Housekeeper(
            digests: digests, retention: Retention(days: days, withDigests: withDigests, timeZone: Self.zone),
            store: { store }, digestDirectory: directory.appendingPathComponent("digests").path, logger: Self.quiet)
    }

    private func firstDay(_ store: EventStore) throws -> Day? {
        try store.firstEventTime().map { Day(containing: $0, in: Self.zone) }
    }

    @Test func oldEventsGoAfterTheirDigestsAreWrittenAndTheDigestsStay() throws {
        try DigestFixture.withStore { store, directory in
            let before = try store.eventCount()
            // The 21st at noon: the 18th to the 20th are digested first, then everything before
            // the 20th (one day kept before today) is deleted.
            let pass = try #require(
                housekeeper(directory, store: store, days: 1).pass(at: DigestFixture.time(12, dayOffset: 1)))
            #expect(pass.cutoff.description == "2026-11-20")
            #expect(pass.events > 0 && pass.digestFiles == 0)
            #expect(try store.eventCount() == before - pass.events)
            #expect(try firstDay(store)?.description == "2026-11-20")
            let files = try FileManager.default.contentsOfDirectory(
                atPath: directory.appendingPathComponent("digests").path)
            #expect(files.contains("2026-11-18.json") && files.contains("2026-11-19.md"), "aggregates stay")
            #expect(try store.cookieFindings(day: "2026-11-20") != nil)
            // A second pass the same day has nothing left to do.
            #expect(housekeeper(directory, store: store, days: 1).pass(at: DigestFixture.time(13, dayOffset: 1)) == nil)
        }
    }

    @Test func withDigestsTheirFilesAndCookieFindingsGoToo() throws {
        try DigestFixture.withStore { store, directory in
            let keeper = housekeeper(directory, store: store, days: 0, withDigests: true)
            keeper.pass(at: DigestFixture.time(12, dayOffset: 2))  // days = 0: digests only, nothing deleted
            let written = try FileManager.default.contentsOfDirectory(
                atPath: directory.appendingPathComponent("digests").path)
            #expect(written.count == 12)
            let pass = try #require(
                housekeeper(directory, store: store, days: 1, withDigests: true).pass(
                    at: DigestFixture.time(12, dayOffset: 2)))
            #expect(pass.cutoff.description == "2026-11-21")
            #expect(pass.digestFiles == 9)
            let left = try FileManager.default.contentsOfDirectory(
                atPath: directory.appendingPathComponent("digests").path
            ).sorted()
            #expect(left == ["2026-11-21.html", "2026-11-21.json", "2026-11-21.md"])
            #expect(try store.cookieFindings(day: "2026-11-20") == nil)
        }
    }

    @Test func theCutoffWaitsForDigestsStillDueAndZeroKeepsEverything() {
        let retention = Retention(days: 2, withDigests: false, timeZone: Self.zone)
        let now = DigestFixture.time(12, dayOffset: 3)  // the 23rd: the 21st is the first day kept
        let day = { (number: Int) in Day(year: 2026, month: 11, day: number) }
        #expect(retention.cutoff(at: now, firstEventDay: day(18), dueDays: [])?.description == "2026-11-21")
        #expect(retention.cutoff(at: now, firstEventDay: day(18), dueDays: [day(19), day(22)]) == day(19))
        #expect(retention.cutoff(at: now, firstEventDay: day(18), dueDays: [day(18)]) == nil)
        #expect(retention.cutoff(at: now, firstEventDay: day(21), dueDays: []) == nil)
        #expect(retention.cutoff(at: now, firstEventDay: nil, dueDays: []) == nil)
        #expect(Retention(days: 0, withDigests: true).cutoff(at: now, firstEventDay: day(1), dueDays: []) == nil)
    }

    @Test func retentionAndLevelsAreReadFromFlagsThenConfigWithDefaults() throws {
        let defaults = try RunOptions.parse([]).retention(config: ConfigFile())
        #expect(defaults.days == 90 && !defaults.withDigests)
        let config = try ConfigFile(text: "retention-days = 30\nretention-with-digests = true\nrecord = \"hosts\"")
        let fromConfig = try RunOptions.parse([]).retention(config: config)
        #expect(fromConfig.days == 30 && fromConfig.withDigests)
        #expect(try RunOptions.parse(["--retention-days", "0"]).retention(config: config).days == 0)
        #expect(throws: CLIError.self) { try RunOptions.parse(["--retention-days=-1"]).retention(config: config) }
        let levels = try RunOptions.parse(["--clients", "none"]).privacy.levels(config: config)
        #expect(levels.0 == .hosts && levels.1 == .none)
        #expect(throws: CLIError.self) {
            try RunOptions.parse(["--record", "everything"]).privacy.levels(config: config)
        }
    }
}
