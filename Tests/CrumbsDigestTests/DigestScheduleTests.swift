import CrumbsModel
import CrumbsReports
import Foundation
import Testing

/// The pure schedule: which days are due at a given (fake) time.
struct DigestScheduleTests {
    let zone = DigestFixture.zone
    var schedule: DigestSchedule { DigestSchedule(hour: 0, minute: 5, timeZone: zone) }
    let first = Day(year: 2026, month: 11, day: 10)

    private func at(_ day: Day, _ hour: Int, _ minute: Int) -> Date {
        day.start(in: zone).addingTimeInterval(Double(hour * 3600 + minute * 60))
    }

    @Test func yesterdayIsDueOnlyAfterTheRunTime() {
        let today = Day(year: 2026, month: 11, day: 20)
        let written = Set((0..<9).map { first.adding(days: $0) })  // up to the 18th
        #expect(schedule.dueDays(at: at(today, 0, 4), firstEventDay: first, written: written) == [])
        #expect(
            schedule.dueDays(at: at(today, 0, 5), firstEventDay: first, written: written) == [today.adding(days: -1)])
    }

    @Test func writtenDaysAreNeverDueAgain() {
        let today = Day(year: 2026, month: 11, day: 20)
        let all = schedule.dueDays(at: at(today, 12, 0), firstEventDay: first, written: [])
        #expect(all.first == first && all.last == today.adding(days: -1) && all.count == 10)
        #expect(schedule.dueDays(at: at(today, 12, 0), firstEventDay: first, written: Set(all)) == [])
    }

    @Test func catchUpIsBoundedAndNeverBeforeTheFirstEvent() {
        let today = Day(year: 2027, month: 3, day: 1)
        let due = schedule.dueDays(at: at(today, 1, 0), firstEventDay: first, written: [])
        #expect(due.count == 30)
        #expect(due.last == today.adding(days: -1))
        #expect(schedule.dueDays(at: at(first, 23, 0), firstEventDay: first, written: []) == [])
        #expect(schedule.dueDays(at: at(first, 23, 0), firstEventDay: nil, written: []) == [])
    }

    @Test func nextRunIsTheNextConfiguredTime() {
        let day = Day(year: 2026, month: 11, day: 20)
        #expect(schedule.nextRun(after: at(day, 0, 0)) == at(day, 0, 5))
        #expect(schedule.nextRun(after: at(day, 0, 5)) == at(day.adding(days: 1), 0, 5))
    }

    @Test(arguments: ["00:05", "23:59", "07:30"])
    func validTimesParse(_ text: String) throws {
        let parsed = try #require(DigestSchedule(time: text, timeZone: zone))
        #expect("\(parsed.hour < 10 ? "0" : "")\(parsed.hour):\(parsed.minute < 10 ? "0" : "")\(parsed.minute)" == text)
    }

    @Test(arguments: ["24:00", "7:30", "12:60", "noon", "12-30", ""])
    func invalidTimesAreRejected(_ text: String) {
        #expect(DigestSchedule(time: text, timeZone: zone) == nil)
    }

    @Test func daysParseStrictly() {
        #expect(Day("2026-11-20") == Day(year: 2026, month: 11, day: 20))
        #expect(Day("2026-02-30") == nil)
        #expect(Day("2026-1-20") == nil)
        #expect(Day("yesterday") == nil)
        #expect(Day(year: 2026, month: 12, day: 31).adding(days: 1) == Day(year: 2027, month: 1, day: 1))
    }
}
