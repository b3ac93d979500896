import CrumbsLists
import CrumbsModel
import CrumbsReports
import CrumbsStore
import Foundation

/// Reads what a digest needs from the store: the period's aggregates, the totals of the seven
/// days before it (only days on or after the first recorded event, so that days before Crumbs
/// was installed do not drag the average down), and the period's cookie findings.
enum DigestQuery {
    static func digest(store: EventStore, period: DigestPeriod, timeZone: TimeZone, resolver: any SiteResolver)
        throws -> Digest
    {
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
            summary: summary, period: period, previousDay: week.first, previousWeek: week,
            cookies: try cookies(store: store, period: period, timeZone: timeZone, resolver: resolver))
    }

    /// The findings stored for the day when the cookie heuristics already ran on it, else the
    /// heuristics run now on the period's events that carried cookies or URL tokens; nil when
    /// there were none (no interception).
    static func cookies(store: EventStore, period: DigestPeriod, timeZone: TimeZone, resolver: any SiteResolver)
        throws -> CookieReport?
    {
        if let day = period.day, let stored = try store.cookieFindings(day: day.description) { return stored }
        let evidence = try store.cookieEvidence(since: period.start, until: period.end)
        guard !evidence.isEmpty else { return nil }
        return CookieInspector(timeZone: timeZone, resolver: resolver).inspect(evidence)
    }

    /// The suffix list named (`--psl` or `psl`), else the newest one installed, else the built-in one.
    static func publicSuffixList(path: String?, dataDirectory: String) -> PublicSuffixList {
        let sources = ListSources(dataDirectory: dataDirectory, curatedDirectory: nil)
        let found = path ?? sources.resolve { FileManager.default.isReadableFile(atPath: $0) }[.publicSuffixList]
        guard let found, let list = try? PublicSuffixList(contentsOf: URL(fileURLWithPath: found)) else {
            return .builtIn
        }
        return list
    }
}
