/// What reading one HAR found: what it was, how many entries became events, and every entry
/// left out with the reason (and, for unusable ones, their index in `log.entries`).
public struct HARImportSummary: Sendable, Equatable {
    /// An entry that could not be used, by its position in `log.entries` (from 0).
    public struct Rejected: Sendable, Equatable {
        public var index: Int
        public var reason: String
    }

    public var creator: HARCreator?
    public var browser: HARCreator?
    public var pages = 0
    /// Entries in the file.
    public var entries = 0
    /// Events produced (one per usable entry).
    public var events = 0
    /// Served from the browser's cache (`_fromCache`, status 0): no request reached the server.
    public var cached = 0
    /// Blocked by the browser or an extension before leaving it (`net::ERR_BLOCKED_BY_CLIENT`).
    public var blocked = 0
    /// `data:`, `blob:`, `about:`, extension URLs: nothing went over the network.
    public var notNetwork = 0
    /// Entries with impossible values (no URL, negative time, unreadable date): the first 100.
    public var rejected: [Rejected] = []
    public var rejectedCount = 0
    /// WebSocket entries (recorded as upgrades; their messages are never read).
    public var webSockets = 0
    /// Entries not in any page: attributed by Referer, Sec-Fetch-* and order, as for the proxy.
    public var withoutPage = 0
    /// Entries whose `startedDateTime` named no time zone (read as UTC).
    public var zonelessTimes = 0
    /// `pages` came after `entries` in a stream that could not be read twice: those entries were
    /// attributed as if the HAR had no pages.
    public var pagesAfterEntries = false
    /// Bytes of the (uncompressed) HAR read.
    public var bytes = 0

    public init() {}

    mutating func reject(_ index: Int, _ reason: String) {
        rejectedCount += 1
        if rejected.count < 100 { rejected.append(Rejected(index: index, reason: reason)) }
    }
}
