import CrumbsModel
import CrumbsStore
import Foundation
import Logging

/// `retention-days`: events older than that many whole local days are deleted, once their day's
/// digest is written (when digests are on), so that the aggregate survives the detail. With
/// `withDigests`, the digest files and stored cookie findings of those days go as well.
public struct Retention: Sendable {
    /// Days kept before today; 0 keeps everything.
    public var days: Int
    public var withDigests: Bool
    public var timeZone: TimeZone

    public init(days: Int, withDigests: Bool, timeZone: TimeZone = .current) {
        self.days = days
        self.withDigests = withDigests
        self.timeZone = timeZone
    }

    /// The first day kept at `now`, or nil when everything is kept.
    public func firstKeptDay(at now: Date) -> Day? {
        guard days > 0 else { return nil }
        return Day(containing: now, in: timeZone).adding(days: -days)
    }

    /// The day before which events may go at `now`: the retention's first kept day, held back to
    /// the first day whose digest is still due (`dueDays`, from the digest schedule).
    public func cutoff(at now: Date, firstEventDay: Day?, dueDays: [Day]) -> Day? {
        guard let kept = firstKeptDay(at: now), let firstEventDay, firstEventDay < kept else { return nil }
        let firstDue = dueDays.min()
        if let firstDue, firstDue < kept { return firstDue > firstEventDay ? firstDue : nil }
        return kept
    }
}

/// What one retention pass did.
public struct RetentionPass: Sendable, Equatable {
    public var cutoff: Day
    public var events: Int
    public var digestFiles: Int
    public var cookieFindingDays: Int
    public var seconds: Double
}

/// The running proxy's daily chores, one after the other so that they never race: write the
/// digests that are due, then apply retention (which waits for those digests).
public struct Housekeeper: Sendable {
    public var digests: DigestScheduler?
    public var retention: Retention?
    public var store: @Sendable () -> EventStore?
    /// Where digest files are (for `--with-digests`).
    public var digestDirectory: String
    public var logger: Logger

    public init(
        digests: DigestScheduler?, retention: Retention?, store: @escaping @Sendable () -> EventStore?,
        digestDirectory: String, logger: Logger
    ) {
        self.digests = digests
        self.retention = retention
        self.store = store
        self.digestDirectory = digestDirectory
        self.logger = logger
    }

    /// One pass at `now`: digests first, then retention.
    @discardableResult
    public func pass(at now: Date) -> RetentionPass? {
        digests?.catchUp(at: now)
        guard let retention, retention.days > 0 else { return nil }
        return applyRetention(retention, at: now)
    }

    /// Loops until cancelled: a pass now, then at each digest time, and at least hourly (a
    /// changed clock — suspend, DST, manual change — is noticed within the hour).
    public func run() async {
        while !Task.isCancelled {
            let now = Date()
            // Seconds of blocking SQLite work: on a dispatch queue, not on one of Swift
            // concurrency's few cooperative threads.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global(qos: .utility).async {
                    pass(at: now)
                    done.resume()
                }
            }
            let next = digests?.schedule.nextRun(after: now) ?? now.addingTimeInterval(3600)
            let wait = min(next.timeIntervalSince(now), 3600)
            do { try await Task.sleep(for: .seconds(max(1, wait))) } catch { return }
        }
    }

    /// Runs in the background until the task is cancelled.
    public func start() -> Task<Void, Never> {
        Task.detached { await self.run() }
    }

    /// Applies `retention` at `now`; nil when there was nothing to delete.
    public func applyRetention(_ retention: Retention, at now: Date) -> RetentionPass? {
        guard let store = store() else { return nil }
        let started = ContinuousClock.now
        do {
            let firstDay = try store.firstEventTime().map { Day(containing: $0, in: retention.timeZone) }
            let due =
                try digests.map { try $0.schedule.dueDays(at: now, firstEventDay: firstDay, written: $0.writtenDays()) }
                ?? []
            guard let cutoff = retention.cutoff(at: now, firstEventDay: firstDay, dueDays: due) else { return nil }
            let deleted = try store.deleteEvents(before: cutoff.start(in: retention.timeZone))
            var files = 0
            var findingDays = 0
            if retention.withDigests {
                files = try removeDigests(before: cutoff)
                findingDays = try store.deleteCookieFindings(before: cutoff)
            }
            guard deleted > 0 || files > 0 || findingDays > 0 else { return nil }
            // Freed pages are zeroed (secure_delete); the log still holds their old images until
            // it is checkpointed. No VACUUM: the file keeps its size and new events reuse the space.
            _ = try store.scrub(vacuum: false, patience: .seconds(1))
            let pass = RetentionPass(
                cutoff: cutoff, events: deleted, digestFiles: files, cookieFindingDays: findingDays,
                seconds: (ContinuousClock.now - started) / .seconds(1))
            logger.info(
                "retention applied",
                metadata: [
                    "retention.before": "\(cutoff)", "events.deleted": "\(deleted)", "digests.deleted": "\(files)",
                    "duration.s": "\(String(format: "%.2f", pass.seconds))",
                ])
            return pass
        } catch {
            logger.error("retention not applied", metadata: ["error": "\(error)"])
            return nil
        }
    }

    /// Deletes the digest files of days before `cutoff`; returns how many files went.
    func removeDigests(before cutoff: Day) throws -> Int {
        guard FileManager.default.fileExists(atPath: digestDirectory) else { return 0 }
        var removed = 0
        // Per-device digests (devices/<device>/DAY.*) included.
        for path in try FileManager.default.subpathsOfDirectory(atPath: digestDirectory) {
            guard let day = DigestScheduler.day(ofFile: path), day < cutoff else { continue }
            try FileManager.default.removeItem(atPath: digestDirectory + "/" + path)
            removed += 1
        }
        return removed
    }
}
