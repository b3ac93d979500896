import Foundation

/// What happened in one time range, as the store aggregates it: the input of a digest.
///
/// Only traffic attributed to a first party with high or medium confidence counts in `sites`,
/// `companies` and `thirdParties`; the rest is counted apart in `caveat`, so that a guess never
/// inflates the headline.
public struct ActivitySummary: Sendable, Equatable, Codable {
    public var interval: DateInterval
    public var totals: ActivityTotals
    /// First-party sites, most pages first.
    public var sites: [SiteActivity]
    /// Companies seen as third parties, widest reach first.
    public var companies: [CompanyActivity]
    /// Each third-party host on each site, with what the lists say about it.
    public var thirdParties: [ThirdPartyUse]
    /// Companies and tracker hosts seen in this range and never before it.
    public var newCompanies: [String]
    public var newTrackerHosts: [String]
    /// Whether the store holds any event older than the range ("new" means something).
    public var hasEarlierData: Bool
    public var caveat: AttributionCaveat
    /// Requests per hour from the start of the range; hours without requests are present as 0.
    public var hourly: [HourActivity]

    public init(
        interval: DateInterval, totals: ActivityTotals, sites: [SiteActivity], companies: [CompanyActivity],
        thirdParties: [ThirdPartyUse], newCompanies: [String], newTrackerHosts: [String], hasEarlierData: Bool,
        caveat: AttributionCaveat, hourly: [HourActivity]
    ) {
        self.interval = interval
        self.totals = totals
        self.sites = sites
        self.companies = companies
        self.thirdParties = thirdParties
        self.newCompanies = newCompanies
        self.newTrackerHosts = newTrackerHosts
        self.hasEarlierData = hasEarlierData
        self.caveat = caveat
        self.hourly = hourly
    }
}

/// Headline counts for a range, also computed for earlier days to show a trend.
public struct ActivityTotals: Sendable, Equatable, Codable {
    /// Every recorded event, however attributed.
    public var requests: Int
    /// Classified top-level page loads (attribution `navigation` or request type `document`).
    public var pages: Int
    /// Distinct first-party sites (confidently attributed).
    public var sites: Int
    /// Distinct companies seen as third parties on those sites.
    public var companies: Int
    /// Confidently attributed requests to trackers.
    public var trackerRequests: Int

    public init(requests: Int = 0, pages: Int = 0, sites: Int = 0, companies: Int = 0, trackerRequests: Int = 0) {
        self.requests = requests
        self.pages = pages
        self.sites = sites
        self.companies = companies
        self.trackerRequests = trackerRequests
    }
}

/// One first-party site in a range.
public struct SiteActivity: Sendable, Equatable, Codable {
    public var site: String
    public var pages: Int
    /// Requests attributed to the site: its own and its third parties'.
    public var requests: Int
    public var thirdPartyRequests: Int
    public var trackerRequests: Int

    public init(site: String, pages: Int, requests: Int, thirdPartyRequests: Int, trackerRequests: Int) {
        self.site = site
        self.pages = pages
        self.requests = requests
        self.thirdPartyRequests = thirdPartyRequests
        self.trackerRequests = trackerRequests
    }
}

/// One company seen as a third party in a range.
public struct CompanyActivity: Sendable, Equatable, Codable {
    public var name: String
    /// First-party sites it was seen on, sorted.
    public var sites: [String]
    public var requests: Int
    public var trackerRequests: Int
    /// Category names (`TrackerCategory` raw values), sorted.
    public var categories: [String]
    /// Its hosts that were flagged as trackers, sorted.
    public var trackerHosts: [String]

    public init(
        name: String, sites: [String], requests: Int, trackerRequests: Int, categories: [String],
        trackerHosts: [String]
    ) {
        self.name = name
        self.sites = sites
        self.requests = requests
        self.trackerRequests = trackerRequests
        self.categories = categories
        self.trackerHosts = trackerHosts
    }
}

/// One third-party host as seen on one first-party site.
public struct ThirdPartyUse: Sendable, Equatable, Codable {
    public var site: String
    public var host: String
    public var company: String?
    public var categories: [String]
    public var requests: Int
    public var isTracker: Bool

    public init(site: String, host: String, company: String?, categories: [String], requests: Int, isTracker: Bool) {
        self.site = site
        self.host = host
        self.company = company
        self.categories = categories
        self.requests = requests
        self.isTracker = isTracker
    }
}

/// Traffic whose first party is a guess (low confidence) or unknown, counted apart.
public struct AttributionCaveat: Sendable, Equatable, Codable {
    public var lowConfidenceRequests: Int
    public var lowConfidenceTrackerRequests: Int
    /// No first party at all, or never classified.
    public var unattributedRequests: Int
    public var unattributedTrackerRequests: Int
    /// Companies in the low-confidence and unattributed traffic, most requests first.
    public var companies: [CompanyCount]
    /// HTTPS connections relayed as tunnels without decryption: Crumbs saw their host names but
    /// not their pages, so any page they are given is a guess.
    public var undecryptedConnections: Int
    public var undecryptedTrackerConnections: Int
    /// Companies behind those connections, most connections first.
    public var undecryptedCompanies: [CompanyCount]
    /// Sites known only from navigations inferred from tunnels: probably visited, never counted
    /// as visits. Sorted.
    public var guessedSites: [String]

    public init(
        lowConfidenceRequests: Int = 0, lowConfidenceTrackerRequests: Int = 0, unattributedRequests: Int = 0,
        unattributedTrackerRequests: Int = 0, companies: [CompanyCount] = [], undecryptedConnections: Int = 0,
        undecryptedTrackerConnections: Int = 0, undecryptedCompanies: [CompanyCount] = [],
        guessedSites: [String] = []
    ) {
        self.guessedSites = guessedSites
        self.undecryptedConnections = undecryptedConnections
        self.undecryptedTrackerConnections = undecryptedTrackerConnections
        self.undecryptedCompanies = undecryptedCompanies
        self.lowConfidenceRequests = lowConfidenceRequests
        self.lowConfidenceTrackerRequests = lowConfidenceTrackerRequests
        self.unattributedRequests = unattributedRequests
        self.unattributedTrackerRequests = unattributedTrackerRequests
        self.companies = companies
    }
}

/// A company with a request count.
public struct CompanyCount: Sendable, Equatable, Codable {
    public var name: String
    public var requests: Int

    public init(name: String, requests: Int) {
        self.name = name
        self.requests = requests
    }
}

/// Requests in one hour of a range (`hour` 0 starts at the range's start).
public struct HourActivity: Sendable, Equatable, Codable {
    public var hour: Int
    public var requests: Int
    public var trackerRequests: Int

    public init(hour: Int, requests: Int, trackerRequests: Int) {
        self.hour = hour
        self.requests = requests
        self.trackerRequests = trackerRequests
    }
}
