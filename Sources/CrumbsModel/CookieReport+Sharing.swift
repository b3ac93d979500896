extension CookieReport {
    /// One third-party cookie value (by keyed hash) sent to the same party from several first-party
    /// sites: the party can follow the browser from site to site.
    public struct CrossSiteIdentifier: Sendable, Equatable, Codable {
        public var party: String
        public var name: String
        public var company: String?
        /// The first-party sites, sorted.
        public var sites: [String]
        /// Requests that sent this value.
        public var count: Int
        public var valueHash: String

        public init(party: String, name: String, company: String? = nil, sites: [String], count: Int, valueHash: String)
        {
            self.party = party
            self.name = name
            self.company = company
            self.sites = sites
            self.count = count
            self.valueHash = valueHash
        }
    }

    /// A cookie value of `fromParty` (or an identifier-length part of it) seen in a URL parameter
    /// that reached `toParty`: an identifier leak, or cookie syncing when both are trackers.
    public struct IdentifierTransfer: Sendable, Equatable, Codable {
        /// The cookie whose value travelled.
        public var cookieName: String
        /// The party whose cookie it is (registrable domain).
        public var fromParty: String
        /// The party that received it in a URL.
        public var toParty: String
        /// The URL parameter that carried it (at most 64 characters, as stored).
        public var parameter: String
        /// Which URL carried it: the request's query, its Referer's query or a redirect's Location.
        public var via: URLToken.Source
        /// Events in which it travelled.
        public var count: Int
        /// Keyed hashes of the values that travelled, sorted.
        public var valueHashes: [String]

        public init(
            cookieName: String, fromParty: String, toParty: String, parameter: String, via: URLToken.Source,
            count: Int, valueHashes: [String]
        ) {
            self.cookieName = cookieName
            self.fromParty = fromParty
            self.toParty = toParty
            self.parameter = parameter
            self.via = via
            self.count = count
            self.valueHashes = valueHashes
        }
    }
}
