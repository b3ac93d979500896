import CrumbsModel
import CrumbsReports
import CrumbsStore
import Foundation
import Logging

/// While `crumbs run` runs: writes each day's digest to `<data dir>/digests/YYYY-MM-DD.{md,html,json}`
/// once, at the configured time the next day, catching up on days missed while it was not running.
///
/// The only state is the files on disk (a day is done when its JSON file exists, written last),
/// so a restart neither repeats nor skips a day. `DigestSchedule` decides what is due; this type
/// only reads the clock, queries the store and writes files.
public struct DigestScheduler: Sendable {
    public var schedule: DigestSchedule
    /// The store to read: the recorder's own (one connection pool per file per process); nil
    /// while there is none yet.
    public var store: @Sendable () -> EventStore?
    public var directory: String
    /// Run through `/bin/sh -c` with the three file paths as arguments.
    public var command: String?
    /// Registrable domains for the cookie findings.
    public var resolver: any SiteResolver
    public var logger: Logger
    /// The privacy levels and retention, stated in each digest.
    public var recording: Digest.Recording?
    /// Also write one digest per device and day, under `devices/<device>/` (a household's or a
    /// class's devices, each in its own files).
    public var perDevice = false
    /// The language the digest files are written in.
    public var language: Language = .en

    public init(
        schedule: DigestSchedule, store: @escaping @Sendable () -> EventStore?, directory: String, command: String?,
        resolver: any SiteResolver, logger: Logger
    ) {
        self.schedule = schedule
        self.store = store
        self.directory = directory
        self.command = command
        self.resolver = resolver
        self.logger = logger
    }

    /// Writes every digest due at `now`; returns the days written. Failures are logged, and the
    /// day stays due, so the next pass retries it.
    @discardableResult
    public func catchUp(at now: Date) -> [Day] {
        guard let store = store() else { return [] }
        var written: [Day] = []
        do {
            let firstDay = try store.firstEventTime().map { Day(containing: $0, in: schedule.timeZone) }
            let due = schedule.dueDays(at: now, firstEventDay: firstDay, written: try writtenDays())
            for day in due {
                let paths = try write(day, from: store, today: Day(containing: now, in: schedule.timeZone))
                logger.info("digest written", metadata: ["digest.day": "\(day)", "digest.path": "\(paths[0])"])
                written.append(day)
                if let command { run(command, with: paths) }
            }
        } catch {
            logger.error("digest not written", metadata: ["error": "\(error)"])
        }
        return written
    }

    /// Loops until cancelled: a pass now, then one at each run time. Sleeps at most an hour at a
    /// time, so a changed clock (suspend, DST, manual change) is noticed within the hour.
    public func run() async {
        while !Task.isCancelled {
            let now = Date()
            // A catch-up of many days takes seconds of blocking SQLite work: it runs on a
            // dispatch queue, not on one of Swift concurrency's few cooperative threads.
            await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
                DispatchQueue.global(qos: .utility).async {
                    catchUp(at: now)
                    done.resume()
                }
            }
            let wait = min(schedule.nextRun(after: now).timeIntervalSince(now), 3600)
            do { try await Task.sleep(for: .seconds(max(1, wait))) } catch { return }
        }
    }

    /// Days whose digest files are complete.
    public func writtenDays() throws -> Set<Day> {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        let names = try FileManager.default.contentsOfDirectory(atPath: directory)
        return Set(names.compactMap { name in name.hasSuffix(".json") ? Day(name.dropLast(5)) : nil })
    }

    /// The day a digest file is of, from its name (`…/YYYY-MM-DD.md`, per-device ones too); nil for
    /// other files.
    public static func day(ofFile path: String) -> Day? {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.firstIndex(of: ".") else { return nil }
        return Day(name[..<dot])
    }

    /// Writes the markdown, HTML and JSON files of `day` (JSON last: it marks the day done).
    public func write(_ day: Day, from store: EventStore, today: Day) throws -> [String] {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let period = DigestPeriod(day: day, today: today, timeZone: schedule.timeZone)
        let resolver = self.resolver
        // The day's cookie findings are stored first: later digests and other readers of the
        // store get them without running the heuristics again, and this digest reads them back.
        if try store.cookieFindings(day: day.description) == nil,
            let report = try DigestQuery.inspectCookies(
                store: store, period: period, timeZone: schedule.timeZone, resolver: { resolver })
        {
            try store.replaceCookieFindings(day: day.description, report: report)
        }
        if perDevice { try writeDeviceDigests(day, period: period, from: store) }
        var digest = try DigestQuery.digest(store: store, period: period, timeZone: schedule.timeZone) { resolver }
        digest.recording = recording
        return try write(digest, into: directory, day: day)
    }

    /// The three files of `digest` in `folder` (JSON last).
    private func write(_ digest: Digest, into folder: String, day: Day) throws -> [String] {
        var paths: [String] = []
        for format in [DigestFormat.markdown, .html, .json] {
            let path = "\(folder)/\(day).\(format.fileExtension)"
            try digest.rendered(as: format, language: language).write(toFile: path, atomically: true, encoding: .utf8)
            paths.append(path)
        }
        return paths
    }

    /// One digest per device with events on `day`, in `devices/<name or client>/`. The day's
    /// earlier per-device files go first, so a device forgotten since leaves none behind.
    func writeDeviceDigests(_ day: Day, period: DigestPeriod, from store: EventStore) throws {
        let root = directory + "/devices"
        let fileManager = FileManager.default
        for folder in (try? fileManager.contentsOfDirectory(atPath: root)) ?? [] {
            for ext in ["md", "html", "json"] { try? fileManager.removeItem(atPath: "\(root)/\(folder)/\(day).\(ext)") }
            if (try? fileManager.contentsOfDirectory(atPath: "\(root)/\(folder)"))?.isEmpty == true {
                try? fileManager.removeItem(atPath: "\(root)/\(folder)")
            }
        }
        let names = try store.deviceNames()
        let resolver = self.resolver
        for client in try store.clients(since: period.start, until: period.end) {
            let label = names[client] ?? (client.isEmpty ? "no-client" : client)
            let folder = root + "/" + Self.fileName(for: label)
            try fileManager.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            var devicePeriod = period
            devicePeriod.phrase += " (device \(label) only)"
            var digest = try DigestQuery.digest(
                store: store, period: devicePeriod, timeZone: schedule.timeZone, clients: [client]
            ) { resolver }
            digest.recording = recording
            _ = try write(digest, into: folder, day: day)
        }
    }

    /// A device's name or address as a file name: letters, digits, `.`, `-` and `_` kept, the
    /// rest `_` (a name may hold `/` or start with a dot).
    static func fileName(for label: String) -> String {
        let kept = label.unicodeScalars.map { scalar -> Character in
            scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "-_.".unicodeScalars.contains(scalar))
                ? Character(scalar) : "_"
        }
        var name = String(kept.prefix(64))
        if name.hasPrefix(".") { name = "_" + name.dropFirst() }
        return name.isEmpty ? "_" : name
    }

    /// Starts `command` without waiting for it; its exit status is logged when it ends.
    func run(_ command: String, with paths: [String]) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command + " \"$@\"", "crumbs-digest"] + paths
        let logger = self.logger
        process.terminationHandler = { finished in
            if finished.terminationStatus != 0 {
                logger.warning("digest command failed", metadata: ["exit.status": "\(finished.terminationStatus)"])
            }
        }
        do { try process.run() } catch {
            logger.error("digest command not started", metadata: ["error": "\(error)"])
        }
    }
}

extension DigestScheduler {
    /// Runs the scheduler in the background until the task is cancelled.
    public func start() -> Task<Void, Never> {
        Task.detached { await self.run() }
    }
}
