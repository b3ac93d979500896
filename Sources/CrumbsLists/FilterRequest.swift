import CrumbsModel

/// One request for the filter engine to decide: the URL fetched, the page that fetched it, the
/// kind of resource, and whether it crosses sites.
///
/// *Third party* means the request's site (registrable domain) differs from the page's site.
/// The caller may compute it (the proxy already knows sites) or let an initialiser that takes a
/// `SiteResolver` such as `PublicSuffixList` do it. A request with no page (a top-level
/// navigation, a bare CONNECT) is first-party.
public struct FilterRequest: Sendable, Hashable {
    /// The full URL, `scheme://host/path?query`. Matching reads only its bytes.
    public var url: String
    /// The host of the page that made the request, for `domain=` options; nil when unknown.
    public var sourceHost: String?
    /// The page's site (registrable domain), for entity options such as `domain=google.*`;
    /// nil when unknown, and then entity options never match.
    public var sourceSite: String?
    public var type: ResourceType
    public var isThirdParty: Bool

    /// A request whose party the caller has decided.
    public init(url: String, sourceHost: String?, sourceSite: String? = nil, type: ResourceType, isThirdParty: Bool) {
        self.url = url
        self.sourceHost = sourceHost.map { $0.lowercased() }
        self.sourceSite = sourceSite.map { $0.lowercased() }
        self.type = type
        self.isThirdParty = isThirdParty
    }

    /// A request from the page at `sourceURL`; the party is computed with `sites`.
    public init(url: String, sourceURL: String?, type: ResourceType, sites: some SiteResolver) {
        self.init(url: url, sourceHost: sourceURL.map(Self.host(of:)), type: type, sites: sites)
    }

    /// A request from a page on `sourceHost`; the party is computed with `sites`. Hosts that
    /// have no site (IP addresses, bare public suffixes) stand for themselves.
    public init(url: String, sourceHost: String?, type: ResourceType, sites: some SiteResolver) {
        let host = Self.host(of: url)
        let source = sourceHost.map { $0.utf8.contains { $0 &- 0x41 < 26 } ? $0.lowercased() : $0 }
        var thirdParty = false
        var sourceSite: String? = nil
        if let source, !source.isEmpty {
            let site = sites.site(ofHost: source) ?? source
            sourceSite = site
            // The same host is the same site: skip the second lookup.
            thirdParty = source != host && (sites.site(ofHost: host) ?? host) != site
        }
        self.url = url
        self.sourceHost = source
        self.sourceSite = sourceSite
        self.type = type
        self.isThirdParty = thirdParty
    }

    /// The host of `url`, lower-cased: what `||` rules and the host table match.
    public var host: String { Self.host(of: url) }

    /// The lower-cased host of a URL (`https://user@Example.com:8080/x` → `example.com`).
    public static func host(of url: String) -> String {
        var url = url
        return url.withUTF8 { bytes in
            let range = FilterBytes.hostRange(in: bytes)
            let host = UnsafeBufferPointer(rebasing: bytes[range])
            // Hosts in URLs are nearly always lower-case already: copy them once, as they are.
            if !host.contains(where: { $0 &- 0x41 < 26 }) { return String(decoding: host, as: UTF8.self) }
            return String(decoding: host.map(FilterBytes.lower), as: UTF8.self)
        }
    }
}
