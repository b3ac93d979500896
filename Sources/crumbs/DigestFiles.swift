import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation
import Logging

/// The daily digest files in `<data dir>/digests` (`YYYY-MM-DD.md|.html|.json`, and per device
/// under `devices/<device>/`), as `crumbs forget` sees them: which days exist, which mention a
/// name, and writing a day again.
struct DigestFiles {
    let directory: String

    /// Days with at least one digest file.
    func days() throws -> Set<Day> {
        Set(try names().compactMap { Self.day(of: $0) })
    }

    /// Days whose files contain `text` (ASCII case-insensitively: host names are ASCII).
    func days(mentioning text: String) throws -> Set<Day> {
        let needle = Data(text.lowercased().utf8)
        var found: Set<Day> = []
        for name in try names() {
            guard let day = Self.day(of: name), !found.contains(day),
                let data = FileManager.default.contents(atPath: directory + "/" + name)
            else { continue }
            let lowered = Data(data.map { (0x41...0x5A).contains($0) ? $0 | 0x20 : $0 })
            if lowered.range(of: needle) != nil { found.insert(day) }
        }
        return found
    }

    /// Writes the digests of `days` again from what the store holds now, or removes their files
    /// when nothing of the day remains (or `removeAll`).
    func refresh(days: Set<Day>, removeAll: Bool, store: EventStore, zone: TimeZone, resolver: any SiteResolver)
        throws -> (rewritten: Int, removed: Int)
    {
        var writer = DigestScheduler(
            schedule: DigestSchedule(time: "00:05", timeZone: zone)!, store: { store }, directory: directory,
            command: nil, resolver: resolver, logger: Logger(label: "crumbs.forget"))
        // Per-device digests are written again (or dropped) with the day's main one.
        writer.perDevice = FileManager.default.fileExists(atPath: directory + "/devices")
        let today = Day(containing: Date(), in: zone)
        var counts = (rewritten: 0, removed: 0)
        for day in days.sorted() {
            let interval = day.interval(in: zone)
            let remains = try !removeAll && store.totals(since: interval.start, until: interval.end).requests > 0
            do {
                if remains {
                    _ = try writer.write(day, from: store, today: today)
                    counts.rewritten += 1
                } else {
                    for name in try names() where Self.day(of: name) == day {
                        try FileManager.default.removeItem(atPath: directory + "/" + name)
                    }
                    counts.removed += 1
                }
            } catch {
                throw CLIError(
                    "the digest of \(day) could not be rewritten: \(error) (remove \(directory)/\(day).* by hand)")
            }
        }
        return counts
    }

    /// Paths of the files, relative to the directory, per-device ones included.
    private func names() throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory) else { return [] }
        return try FileManager.default.subpathsOfDirectory(atPath: directory)
    }

    private static func day(of path: String) -> Day? { DigestScheduler.day(ofFile: path) }
}
