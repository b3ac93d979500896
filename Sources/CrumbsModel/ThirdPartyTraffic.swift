import Foundation

/// The third-party requests from one first-party site's pages to one host over a time range, for
/// one (company, categories) verdict: what the store's graph aggregate returns per group, and what
/// the graph builder folds into nodes and edges.
///
/// Company and categories are part of the group rather than summarised, so that folding by
/// company and filtering by category stay exact when lists changed within the range.
public struct ThirdPartyTraffic: Sendable, Equatable {
    /// Registrable domain of the page (eTLD+1).
    public var firstPartySite: String
    /// The requested host, as recorded.
    public var host: String
    public var company: String?
    /// Classifier categories of these requests (`advertising`, `analytics`, …), as stored.
    public var categories: [String]
    public var requests: Int
    public var firstSeen: Date
    public var lastSeen: Date
    /// At least one of the requests was classified as a tracker.
    public var tracker: Bool
    /// Requests whose page is a guess (low confidence: timing, an inferred navigation) rather
    /// than an observation (a Referer, an Origin, a page load seen as such).
    public var inferredRequests: Int
    /// Local calendar days with at least one request, as day numbers since 1970-01-01.
    public var days: Set<Int>
    /// Distinct names of cookies the browser sent (names only: values are never stored).
    public var cookiesSent: Set<String>
    /// Distinct names of cookies the responses set.
    public var cookiesSet: Set<String>

    public init(
        firstPartySite: String, host: String, company: String? = nil, categories: [String] = [],
        requests: Int, firstSeen: Date, lastSeen: Date, tracker: Bool = false, inferredRequests: Int = 0,
        days: Set<Int> = [], cookiesSent: Set<String> = [], cookiesSet: Set<String> = []
    ) {
        self.firstPartySite = firstPartySite
        self.host = host
        self.company = company
        self.categories = categories
        self.requests = requests
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.tracker = tracker
        self.inferredRequests = inferredRequests
        self.days = days
        self.cookiesSent = cookiesSent
        self.cookiesSet = cookiesSet
    }

    /// The day number of `date` for a zone `utcOffset` seconds ahead of UTC: the same rule the
    /// store's SQL applies, so that events and aggregates count days alike.
    public static func dayNumber(_ date: Date, utcOffset: Int) -> Int {
        Int(((date.timeIntervalSince1970 + Double(utcOffset)) / 86_400).rounded(.down))
    }
}
