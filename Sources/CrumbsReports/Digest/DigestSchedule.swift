import CrumbsModel
import Foundation

/// When daily digests are due: each day's digest is written once, after `time` on the next day,
/// and days missed while Crumbs was not running are caught up (at most `maxCatchUpDays` back).
///
/// Pure: the state is the set of days already written (the files on disk), passed in, so a
/// restart loses nothing and a fake clock tests it.
public struct DigestSchedule: Sendable, Equatable {
    /// Local time of day at which yesterday's digest is written.
    public var hour: Int
    public var minute: Int
    public var timeZone: TimeZone
    public var maxCatchUpDays: Int

    public init(hour: Int = 0, minute: Int = 5, timeZone: TimeZone = .current, maxCatchUpDays: Int = 30) {
        self.hour = hour
        self.minute = minute
        self.timeZone = timeZone
        self.maxCatchUpDays = maxCatchUpDays
    }

    /// Parses `HH:MM` (24-hour clock); nil for anything else.
    public init?(time text: String, timeZone: TimeZone = .current, maxCatchUpDays: Int = 30) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isASCII) }),
            let hour = Int(parts[0]), let minute = Int(parts[1]), (0..<24).contains(hour), (0..<60).contains(minute)
        else { return nil }
        self.init(hour: hour, minute: minute, timeZone: timeZone, maxCatchUpDays: maxCatchUpDays)
    }

    /// The instant on `day` at the configured local time (the next valid instant if a DST change
    /// skips it).
    public func runTime(on day: Day) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: day.year, month: day.month, day: day.day, hour: hour, minute: minute)
        return calendar.date(from: components) ?? day.start(in: timeZone)
    }

    /// The most recent day whose digest may be written at `now`: yesterday once today's run time
    /// has passed, the day before otherwise.
    public func latestDueDay(at now: Date) -> Day {
        let today = Day(containing: now, in: timeZone)
        return now >= runTime(on: today) ? today.adding(days: -1) : today.adding(days: -2)
    }

    /// The days to write at `now`, oldest first: from the first recorded day (or `maxCatchUpDays`
    /// back, whichever is later) to `latestDueDay`, without those already written.
    /// Nothing is due for a store without events.
    public func dueDays(at now: Date, firstEventDay: Day?, written: Set<Day>) -> [Day] {
        guard let firstEventDay, maxCatchUpDays > 0 else { return [] }
        let latest = latestDueDay(at: now)
        let start = max(firstEventDay, latest.adding(days: -(maxCatchUpDays - 1)))
        guard start <= latest else { return [] }
        return (0...start.days(to: latest)).map { start.adding(days: $0) }.filter { !written.contains($0) }
    }

    /// When the next day becomes due after `now`: the next run time strictly after it.
    public func nextRun(after now: Date) -> Date {
        let today = Day(containing: now, in: timeZone)
        let todays = runTime(on: today)
        return todays > now ? todays : runTime(on: today.adding(days: 1))
    }
}
