import CrumbsDashboard
import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation

/// What the dashboard shows, from the running store and the digest directory: today's digest
/// through the same query as the daily files, the archive of those files, the devices.
struct StoreDashboardData: DashboardData {
    let store: @Sendable () -> EventStore
    let digestDirectory: String
    let resolver: @Sendable () -> any SiteResolver
    let recording: Digest.Recording?

    func today() async throws -> Digest {
        let zone = TimeZone.current
        let day = Day(containing: Date(), in: zone)
        let period = DigestPeriod(day: day, today: day, timeZone: zone)
        var digest = try DigestQuery.digest(store: store(), period: period, timeZone: zone, resolver: resolver)
        digest.recording = recording
        return digest
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

    func devices() throws -> [DashboardDevice] {
        try store().devices().map {
            DashboardDevice(
                client: $0.client, name: $0.name, firstSeen: $0.firstSeen, lastSeen: $0.lastSeen,
                requests: $0.requests, sites: $0.sites)
        }
    }
}
