import CrumbsModel
import CrumbsReports
import CrumbsStore
import Foundation
import NIOConcurrencyHelpers

/// Reads what a digest needs from the store: the period's aggregates, the totals of the seven
/// days before it (only days on or after the first recorded event, so that days before Crumbs
/// was installed do not drag the average down), and the period's cookie findings.
///
/// The three parts are independent reads, so they run at once on the store's reader pool (WAL
/// readers do not block each other): on two cores a day's digest of a million-event store then
/// takes about as long as its slowest part instead of the sum.
public enum DigestQuery {
    /// `previousWeek`: the seven days before the period, when the caller has them (finished days
    /// do not change: the dashboard keeps them rather than reading a week of events at each view).
    public static func digest(
        store: EventStore, period: DigestPeriod, timeZone: TimeZone, sources: Set<RequestEvent.Source>? = nil,
        clients: Set<String>? = nil, resolver: @escaping @Sendable () -> any SiteResolver,
        previousWeek known: [ActivityTotals]? = nil
    ) throws -> Digest {
        let summary = NIOLockedValueBox<Result<ActivitySummary, any Error>?>(nil)
        let week = NIOLockedValueBox<Result<[ActivityTotals], any Error>?>(known.map { .success($0) })
        let cookies = NIOLockedValueBox<Result<CookieReport?, any Error>?>(nil)
        // Parts 0 and 2 always; part 1 (the week before) unless the caller knows it already.
        let parts = known == nil ? [0, 1, 2] : [0, 2]
        DispatchQueue.concurrentPerform(iterations: parts.count) { index in
            switch parts[index] {
            case 0:
                let result = Result {
                    try store.activity(since: period.start, until: period.end, sources: sources, clients: clients)
                }
                summary.withLockedValue { $0 = result }
            case 1:
                let result = Result {
                    try previousWeek(
                        store: store, period: period, timeZone: timeZone, sources: sources, clients: clients)
                }
                week.withLockedValue { $0 = result }
            default:
                let result = Result {
                    try self.cookies(
                        store: store, period: period, timeZone: timeZone, sources: sources, clients: clients,
                        resolver: resolver)
                }
                cookies.withLockedValue { $0 = result }
            }
        }
        let days = try week.withLockedValue { $0 }!.get()
        return Digest(
            summary: try summary.withLockedValue { $0 }!.get(), period: period, previousDay: days.first,
            previousWeek: days, cookies: try cookies.withLockedValue { $0 }!.get())
    }

    /// The totals of each of the seven days before the period that the store covers, nearest first;
    /// the nearest is also "the previous day".
    public static func previousWeek(
        store: EventStore, period: DigestPeriod, timeZone: TimeZone, sources: Set<RequestEvent.Source>? = nil,
        clients: Set<String>? = nil
    ) throws
        -> [ActivityTotals]
    {
        let firstDay = try store.firstEventTime().map { Day(containing: $0, in: timeZone) }
        let startDay = Day(containing: period.start, in: timeZone)
        var week: [ActivityTotals] = []
        for offset in 1...7 {
            let day = startDay.adding(days: -offset)
            guard let firstDay, day >= firstDay else { break }
            let interval = day.interval(in: timeZone)
            week.append(
                try store.totals(since: interval.start, until: interval.end, sources: sources, clients: clients))
        }
        return week
    }

    /// The findings stored for the day when the cookie heuristics already ran on it, else the
    /// heuristics run now on the period's events that carried cookies or URL tokens; nil when
    /// there were none (no interception). The suffix list is only loaded when needed. Stored
    /// findings cover every source and client: a digest of some of them runs the heuristics on
    /// their events alone.
    public static func cookies(
        store: EventStore, period: DigestPeriod, timeZone: TimeZone, sources: Set<RequestEvent.Source>? = nil,
        clients: Set<String>? = nil, resolver: () -> any SiteResolver
    ) throws -> CookieReport? {
        if sources == nil, clients == nil, let day = period.day,
            let stored = try store.cookieFindings(day: day.description)
        {
            return stored
        }
        return try inspectCookies(
            store: store, period: period, timeZone: timeZone, sources: sources, clients: clients, resolver: resolver)
    }

    /// The cookie heuristics run on the period's events that carried cookies or URL tokens (of the
    /// selected sources and clients); nil when there were none.
    public static func inspectCookies(
        store: EventStore, period: DigestPeriod, timeZone: TimeZone, sources: Set<RequestEvent.Source>? = nil,
        clients: Set<String>? = nil, resolver: () -> any SiteResolver
    ) throws -> CookieReport? {
        var evidence = try store.cookieEvidence(since: period.start, until: period.end)
        if let sources { evidence.removeAll { !sources.contains($0.source) } }
        if let clients { evidence.removeAll { !clients.contains($0.clientAddress) } }
        guard !evidence.isEmpty else { return nil }
        return CookieInspector(timeZone: timeZone, resolver: resolver()).inspect(evidence)
    }
}
