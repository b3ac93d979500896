import CrumbsModel
import CrumbsReports
import CrumbsStore
import Foundation

/// Reads what a digest needs from the store: the period's aggregates, and the totals of the day
/// before it and of the seven days before it (only days on or after the first recorded event, so
/// that days before Crumbs was installed do not drag the average down).
enum DigestQuery {
    static func digest(store: EventStore, period: DigestPeriod, timeZone: TimeZone) throws -> Digest {
        let summary = try store.activity(since: period.start, until: period.end)
        let firstDay = try store.firstEventTime().map { Day(containing: $0, in: timeZone) }
        let startDay = Day(containing: period.start, in: timeZone)
        // The seven days before the period, nearest first; the nearest is also "the previous day".
        var week: [ActivityTotals] = []
        for offset in 1...7 {
            let day = startDay.adding(days: -offset)
            guard let firstDay, day >= firstDay else { break }
            let interval = day.interval(in: timeZone)
            week.append(try store.totals(since: interval.start, until: interval.end))
        }
        return Digest(
            summary: summary, period: period, previousDay: week.first, previousWeek: week)
    }
}
