/// Maps a host name to its *site*: the registrable domain (eTLD+1) by the Public Suffix List.
public protocol SiteResolver: Sendable {
    /// The registrable domain of `host`, lower-cased; nil for IP addresses, public suffixes and
    /// names that are not valid host names. (An IP address is its own site: callers fall back to it.)
    func site(ofHost host: String) -> String?
}
