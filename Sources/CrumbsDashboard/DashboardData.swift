import CrumbsModel
import CrumbsReports
import Foundation

/// What the dashboard shows, handed to it by the CLI (which owns the store and the digest
/// query): the dashboard itself reads no database and wires nothing.
public protocol DashboardData: Sendable {
    /// Today's digest so far.
    func today() async throws -> Digest
    /// The daily digests written so far, newest first.
    func archive() throws -> [ArchivedDigest]
    /// The totals of today and the six days before it that the store covers, today first.
    func week() async throws -> [(day: Day, totals: ActivityTotals)]
    /// The devices the store knows (with their counts: a pass over every event).
    func devices() throws -> [DashboardDevice]
    /// Only the names given to devices, by client (cheap: the live page's lookups).
    func deviceNames() throws -> [String: String]
    /// The site ↔ third-party graph for `query`, as `crumbs graph` builds it.
    func graph(_ query: GraphQuery) async throws -> SiteGraph
    /// What is recorded and for how long (the running proxy's privacy levels and retention).
    func recording() -> Digest.Recording?
    /// The lists in use.
    func lists() -> DashboardLists
    /// Loads the lists again (as `crumbs lists reload`), and says what is in use now.
    func reloadLists() async -> DashboardLists
    /// The local CA, when there is one.
    func certificate() -> DashboardCertificate?
    /// Forgets (or with `dryRun` counts) what `request` selects, as `crumbs forget` does:
    /// rows scrubbed, digests of the days concerned written again.
    func forget(_ request: ForgetRequest, dryRun: Bool) async throws -> ForgetCount
    /// Names a device (an empty name removes it).
    func nameDevice(client: String, name: String) throws
}

/// Which graph the page asks for: the last `days` local days (today included), third parties
/// grouped by `grouping`, with or without the links known only by a guess.
public struct GraphQuery: Sendable, Equatable {
    public static let ranges = [1, 7, 30, 90]

    public var days: Int
    public var grouping: GraphGrouping
    public var observedOnly: Bool

    public init(days: Int = 7, grouping: GraphGrouping = .domain, observedOnly: Bool = false) {
        self.days = days
        self.grouping = grouping
        self.observedOnly = observedOnly
    }
}

/// A daily digest file in the data directory.
public struct ArchivedDigest: Sendable, Equatable {
    public var day: Day
    /// The HTML digest's path, when it was written.
    public var htmlPath: String?

    public init(day: Day, htmlPath: String?) {
        self.day = day
        self.htmlPath = htmlPath
    }
}

/// One device, as `crumbs devices` lists it.
public struct DashboardDevice: Sendable, Equatable {
    public var client: String
    public var name: String?
    public var firstSeen: Date
    public var lastSeen: Date
    public var requests: Int
    public var sites: Int

    public init(client: String, name: String?, firstSeen: Date, lastSeen: Date, requests: Int, sites: Int) {
        self.client = client
        self.name = name
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.requests = requests
        self.sites = sites
    }
}
