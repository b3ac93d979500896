import CrumbsModel

/// How much of each classified event the store keeps (`record`) and how it names the client
/// (`clients`). Classification has already seen the whole request in memory, so a smaller level
/// never worsens a tracker verdict: it only shortens what is written down.
public struct StoragePolicy: Sendable {
    public enum Record: String, Sendable, CaseIterable, CustomStringConvertible {
        /// Host and path (query only with `--keep-query`), cookies and URL tokens as keyed hashes.
        case full
        /// Host names but no paths.
        case hosts
        /// The registrable domain instead of the host, no path, no cookies and no URL tokens: only
        /// which site used which third party (with its company and categories).
        case sites

        public var description: String { rawValue }
    }

    public enum Clients: String, Sendable, CaseIterable, CustomStringConvertible {
        /// The client's address as it connected (or an import's device label).
        case addresses
        /// A keyed pseudonym of the address: stable, so per-device views still work, and
        /// unreadable without the install's secret.
        case pseudonyms
        /// No client at all (every event's client is empty).
        case none

        public var description: String { rawValue }
    }

    public var record: Record
    public var clients: Clients
    private let hasher: CookieHasher?
    private let siteResolver: (any SiteResolver)?

    /// Keeps everything the store has columns for: the default before privacy levels existed.
    public static let full = StoragePolicy(record: .full, clients: .addresses, hasher: nil, siteResolver: nil)

    /// `hasher` keys the pseudonyms (the install secret's); `siteResolver` finds registrable
    /// domains for `record = sites`.
    public init(record: Record, clients: Clients, hasher: CookieHasher?, siteResolver: (any SiteResolver)?) {
        self.record = record
        self.clients = clients
        self.hasher = hasher
        self.siteResolver = siteResolver
    }

    /// The value stored for a client whose address (or label) is `address`: what `crumbs forget
    /// --client` and `crumbs devices name` look for.
    public func storedClient(_ address: String) -> String {
        switch clients {
        case .addresses: return address
        case .none: return ""
        case .pseudonyms:
            guard let hasher else { return address }
            // A prefix keeps the pseudonym recognisable as one; 48 bits tell a household's or a
            // classroom's devices apart without collisions.
            return "anon-" + hasher.hash("client\u{0}" + address).prefix(12)
        }
    }

    /// Reduces a classified event to what this policy stores.
    public func reduce(_ event: inout RequestEvent) {
        if clients != .addresses { event.clientAddress = storedClient(event.clientAddress) }
        switch record {
        case .full:
            return
        case .hosts:
            event.path = nil
        case .sites:
            event.path = nil
            if let site = siteResolver?.site(ofHost: event.host) { event.host = site }
            event.cookiesSent = []
            event.cookiesSet = []
            event.urlTokens = []
        }
    }
}
