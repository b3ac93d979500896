import CrumbsDashboard
import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation
import Synchronization

/// What the dashboard shows, from the running store and the digest directory: today's digest
/// through the same query as the daily files, the archive of those files, the devices.
struct StoreDashboardData: DashboardData {
    let store: @Sendable () -> EventStore
    let digestDirectory: String
    let resolver: @Sendable () -> any SiteResolver
    let recordingLevels: Digest.Recording?
    let listsInUse: ListsInUse
    /// Loads the lists again (what SIGHUP does).
    let reload: @Sendable () -> Void
    let authority: DashboardCertificate?
    /// The totals of the seven days before today, kept between views.
    let weekBefore = WeekBefore()

    func today() async throws -> Digest {
        let zone = TimeZone.current
        let day = Day(containing: Date(), in: zone)
        let period = DigestPeriod(day: day, today: day, timeZone: zone)
        let store = store()
        var digest = try await offThePool { [resolver, weekBefore] in
            let known = try weekBefore.totals(store: store, today: day, zone: zone)
            return try DigestQuery.digest(
                store: store, period: period, timeZone: zone, resolver: resolver, previousWeek: known)
        }
        digest.recording = recordingLevels
        return digest
    }

    func week() async throws -> [(day: Day, totals: ActivityTotals)] {
        let zone = TimeZone.current
        let today = Day(containing: Date(), in: zone)
        let store = store()
        return try await offThePool { [weekBefore] in
            let interval = today.interval(in: zone)
            let todays = try store.totals(since: interval.start, until: interval.end)
            let before = try weekBefore.totals(store: store, today: today, zone: zone)
            return [(today, todays)]
                + before.prefix(6).enumerated().map { (today.adding(days: -($0.offset + 1)), $0.element) }
        }
    }

    func archive() throws -> [ArchivedDigest] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: digestDirectory)) ?? []
        var days: [Day: String?] = [:]
        for name in names {
            guard let day = DigestScheduler.day(ofFile: name) else { continue }
            if name.hasSuffix(".html") {
                days[day] = digestDirectory + "/" + name
            } else if days[day] == nil {
                days[day] = .some(nil)
            }
        }
        return days.map { ArchivedDigest(day: $0.key, htmlPath: $0.value) }.sorted { $0.day > $1.day }
    }

    /// As `crumbs graph --since (the first of the days) --by …`: the same store aggregate and
    /// builder, every source and device.
    func graph(_ query: GraphQuery) async throws -> SiteGraph {
        let zone = TimeZone.current
        let now = Date()
        let today = Day(containing: now, in: zone)
        let start = today.adding(days: -(query.days - 1)).start(in: zone)
        let traffic = try store().thirdPartyTraffic(
            since: start, until: nil, utcOffset: zone.secondsFromGMT(for: now), observedOnly: query.observedOnly)
        return GraphBuilder(grouping: query.grouping, timeZone: zone, resolver: resolver()).build(traffic: traffic)
    }

    func recording() -> Digest.Recording? { recordingLevels }

    func lists() -> DashboardLists { listsInUse.current }

    func reloadLists() async -> DashboardLists {
        // Loading lists takes seconds of CPU: not on the concurrency pool's threads.
        await offThePool { reload() }
        return listsInUse.current
    }

    func certificate() -> DashboardCertificate? { authority }

    func forget(_ request: ForgetRequest, dryRun: Bool) async throws -> ForgetCount {
        let zone = TimeZone.current
        let selection =
            request.everything
            ? EventSelection(everything: true)
            : EventSelection(
                site: request.site, clients: request.client.map { [$0] }, since: request.since?.start(in: zone),
                until: request.before?.start(in: zone))
        let forgetting = Forgetting(
            store: store(), digests: DigestFiles(directory: digestDirectory), zone: zone, resolver: { resolver() })
        // What is forgotten may be in the week before today.
        if !dryRun { weekBefore.forget() }
        return try await offThePool {
            if dryRun {
                let (report, days) = try forgetting.preview(selection)
                return ForgetCount(report, digestDays: days.count)
            }
            let outcome = try forgetting.forget(selection, forgetsDevices: request.everything || request.client != nil)
            return ForgetCount(outcome.report, digestDays: outcome.rewritten.rewritten + outcome.rewritten.removed)
        }
    }

    func nameDevice(client: String, name: String) throws {
        if name.isEmpty {
            try store().removeDeviceNames(clients: [client])
        } else {
            try store().nameDevice(client: client, name: name)
        }
    }

    func deviceNames() throws -> [String: String] { try store().deviceNames() }

    func devices() throws -> [DashboardDevice] {
        try store().devices().map {
            DashboardDevice(
                client: $0.client, name: $0.name, firstSeen: $0.firstSeen, lastSeen: $0.lastSeen,
                requests: $0.requests, sites: $0.sites)
        }
    }
}

extension ForgetCount {
    init(_ report: ForgetReport, digestDays: Int) {
        self.init(
            events: report.events, cookiesSent: report.cookiesSent, cookiesSet: report.cookiesSet,
            urlTokens: report.urlTokens, imports: report.imports, digestDays: digestDays)
    }
}

/// Runs blocking work (SQLite, list parsing) on a thread of its own rather than one of the
/// concurrency pool's few, which serve every request.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}

func offThePool(_ work: @escaping @Sendable () -> Void) async {
    await withCheckedContinuation { continuation in
        Thread.detachNewThread {
            work()
            continuation.resume()
        }
    }
}

/// The totals of the seven days before today: finished days, so they change only when something
/// is forgotten (the forget form clears them) or retention removes a day; kept ten minutes at most,
/// so a `crumbs forget` from another process or a retention pass shows within that time.
final class WeekBefore: Sendable {
    private let state = Mutex<(day: Day, kept: Date, totals: [ActivityTotals])?>(nil)
    static let lifetime: TimeInterval = 600

    func known(today: Day, now: Date = Date()) -> [ActivityTotals]? {
        state.withLock { state in
            guard let state, state.day == today, now.timeIntervalSince(state.kept) < Self.lifetime else { return nil }
            return state.totals
        }
    }

    func keep(_ totals: [ActivityTotals], today: Day, now: Date = Date()) {
        state.withLock { $0 = (today, now, totals) }
    }

    func forget() {
        state.withLock { $0 = nil }
    }

    /// The week before `today`: as kept, else read from `store` and kept.
    func totals(store: EventStore, today: Day, zone: TimeZone) throws -> [ActivityTotals] {
        if let known = known(today: today) { return known }
        let totals = try DigestQuery.previousWeek(
            store: store, period: DigestPeriod(day: today, today: today, timeZone: zone), timeZone: zone)
        keep(totals, today: today)
        return totals
    }
}
