import Foundation

/// What the cookie heuristics found in a span of events: third-party cookies, identifier-like
/// cookies, identifiers shared across sites, identifiers leaked into other parties' URLs and
/// cookie syncing between trackers.
///
/// Lives in the model (not beside the inspector in CrumbsReports) because the store keeps it and
/// the digest renders it, and both may import only inward. Every field is a name, a site, a count
/// or a keyed hash: a report can be stored, logged or shown without revealing a cookie value.
public struct CookieReport: Sendable, Equatable, Codable {
    /// Cookies set on, or sent with, third-party requests; one entry per (party, cookie name).
    public var thirdPartyCookies: [ThirdPartyCookie]
    /// Cookies whose value looks like a user identifier; one entry per (party, cookie name).
    public var identifierCookies: [IdentifierCookie]
    /// One third-party cookie value sent from two or more first-party sites.
    public var crossSiteIdentifiers: [CrossSiteIdentifier]
    /// A cookie value of one party (not a tracker's own) in a URL to another party.
    public var identifierLeaks: [IdentifierTransfer]
    /// A tracker's cookie value in a URL to another tracker (Acar et al. 2014).
    public var cookieSyncs: [IdentifierTransfer]
    /// Events that carried cookies or URL tokens and were looked at.
    public var eventsInspected: Int

    public init(
        thirdPartyCookies: [ThirdPartyCookie] = [], identifierCookies: [IdentifierCookie] = [],
        crossSiteIdentifiers: [CrossSiteIdentifier] = [], identifierLeaks: [IdentifierTransfer] = [],
        cookieSyncs: [IdentifierTransfer] = [], eventsInspected: Int = 0
    ) {
        self.thirdPartyCookies = thirdPartyCookies
        self.identifierCookies = identifierCookies
        self.crossSiteIdentifiers = crossSiteIdentifiers
        self.identifierLeaks = identifierLeaks
        self.cookieSyncs = cookieSyncs
        self.eventsInspected = eventsInspected
    }

    /// Nothing was found.
    public var isEmpty: Bool {
        thirdPartyCookies.isEmpty && identifierCookies.isEmpty && crossSiteIdentifiers.isEmpty
            && identifierLeaks.isEmpty && cookieSyncs.isEmpty
    }
}

/// How long a cookie was asked to live.
public enum CookieLifetime: Sendable, Equatable, Codable {
    /// No Expires or Max-Age: gone when the browser closes (in theory; browsers restore sessions).
    case session
    /// Expires or Max-Age, measured from the response that set it; 0 or less deletes the cookie.
    case days(Double)
    /// Only ever seen sent, never set (set by script, or before Crumbs was watching).
    case unknown
}

extension CookieReport {
    /// A cookie on third-party traffic, with what its `Set-Cookie` asked for.
    public struct ThirdPartyCookie: Sendable, Equatable, Codable {
        /// Registrable domain of the third party's host (the host itself for IP addresses).
        public var party: String
        public var name: String
        public var company: String?
        /// `Set-Cookie` headers on third-party responses, and third-party requests that sent it.
        public var setCount: Int
        public var sentCount: Int
        /// Distinct first-party sites it was seen on.
        public var firstPartySites: Int
        /// Attributes of the latest `Set-Cookie` that did not delete it (all false when never set).
        public var secure: Bool
        public var httpOnly: Bool
        public var sameSite: SetCookieObservation.SameSite?
        public var partitioned: Bool
        /// The longest lifetime any `Set-Cookie` for it asked for.
        public var lifetime: CookieLifetime
        /// Any of its events was flagged as a tracker.
        public var tracker: Bool

        public init(
            party: String, name: String, company: String? = nil, setCount: Int = 0, sentCount: Int = 0,
            firstPartySites: Int = 0, secure: Bool = false, httpOnly: Bool = false,
            sameSite: SetCookieObservation.SameSite? = nil, partitioned: Bool = false,
            lifetime: CookieLifetime = .unknown, tracker: Bool = false
        ) {
            self.party = party
            self.name = name
            self.company = company
            self.setCount = setCount
            self.sentCount = sentCount
            self.firstPartySites = firstPartySites
            self.secure = secure
            self.httpOnly = httpOnly
            self.sameSite = sameSite
            self.partitioned = partitioned
            self.lifetime = lifetime
            self.tracker = tracker
        }
    }

    /// A cookie whose value passed the identifier test (see `CookieInspector`).
    public struct IdentifierCookie: Sendable, Equatable, Codable {
        /// Why its value counts as persistent.
        public enum Reason: String, Sendable, Codable, CaseIterable {
            /// Set to live at least `CookieInspector.minimumLifetimeDays`.
            case longLived
            /// A session (or never-seen-set) cookie sent with the same value on two or more days.
            case resentAcrossDays
        }

        public var party: String
        public var name: String
        public var company: String?
        public var reason: Reason
        /// Seen on third-party traffic at least once (else only as a first-party cookie).
        public var thirdParty: Bool
        /// The longest lifetime asked for by a `Set-Cookie` of a qualifying value.
        public var lifetime: CookieLifetime
        /// Distinct days a qualifying value was sent on.
        public var daysSent: Int
        public var firstPartySites: Int
        /// Events that carried a qualifying value.
        public var events: Int
        /// Keyed hashes of the qualifying values, sorted.
        public var valueHashes: [String]

        public init(
            party: String, name: String, company: String? = nil, reason: Reason, thirdParty: Bool,
            lifetime: CookieLifetime, daysSent: Int, firstPartySites: Int, events: Int, valueHashes: [String]
        ) {
            self.party = party
            self.name = name
            self.company = company
            self.reason = reason
            self.thirdParty = thirdParty
            self.lifetime = lifetime
            self.daysSent = daysSent
            self.firstPartySites = firstPartySites
            self.events = events
            self.valueHashes = valueHashes
        }
    }
}
