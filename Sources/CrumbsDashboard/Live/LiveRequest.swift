import CrumbsModel
import Foundation

/// One request as the live page shows it: names only. Cookie *values* never reach the feed (the
/// events carry only their keyed hashes, and the feed keeps names); what the privacy levels
/// removed before storing is absent here too, since the feed taps the events as written.
public struct LiveRequest: Sendable, Equatable, Codable {
    public var sequence: UInt64
    public var time: Date
    public var device: String
    public var host: String
    /// The first-party site the request was attributed to, if any.
    public var site: String?
    /// The attribution is a guess (low confidence: order of tunnels, time window), not seen.
    public var guessed: Bool
    public var company: String?
    public var categories: [String]
    public var tracker: Bool
    public var thirdParty: Bool
    /// Names of the cookies sent and set, each once.
    public var cookies: [String]

    init(sequence: UInt64, event: RequestEvent) {
        self.sequence = sequence
        time = event.time
        device = event.clientAddress
        host = event.host
        let classification = event.classification
        site = classification?.firstPartySite
        guessed = (classification?.confidence ?? .none) <= .low && site != nil
        company = classification?.company
        categories = classification?.categories ?? []
        tracker = classification?.isTracker ?? false
        thirdParty = classification?.isThirdParty ?? false
        var seen = Set<String>()
        cookies = (event.cookiesSent.map(\.name) + event.cookiesSet.map(\.name)).filter { seen.insert($0).inserted }
    }

    public init(
        sequence: UInt64, time: Date, device: String, host: String, site: String?, guessed: Bool,
        company: String?, categories: [String], tracker: Bool, thirdParty: Bool, cookies: [String]
    ) {
        self.sequence = sequence
        self.time = time
        self.device = device
        self.host = host
        self.site = site
        self.guessed = guessed
        self.company = company
        self.categories = categories
        self.tracker = tracker
        self.thirdParty = thirdParty
        self.cookies = cookies
    }
}

/// What the live page's filters keep: by device, company, category, trackers only. The same
/// filter draws the page and feeds its stream, so both show the same requests.
public struct LiveFilter: Sendable, Equatable {
    public var device: String?
    public var company: String?
    public var category: String?
    public var trackersOnly = false

    public init(device: String? = nil, company: String? = nil, category: String? = nil, trackersOnly: Bool = false) {
        self.device = device
        self.company = company
        self.category = category
        self.trackersOnly = trackersOnly
    }

    public func keeps(_ request: LiveRequest) -> Bool {
        if trackersOnly && !request.tracker { return false }
        if let device, request.device != device { return false }
        if let company, request.company != company { return false }
        if let category, !request.categories.contains(category) { return false }
        return true
    }
}
