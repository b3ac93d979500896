import CrumbsModel
import Foundation

/// Decides, for each event in recording order, which first-party site (page) it belongs to, per
/// client, and how sure that is.
///
/// The rules, in order:
/// 1. A top-level navigation opens a page: `Sec-Fetch-Dest: document` (high confidence), or,
///    without fetch metadata, an HTML response whose Referer is absent or same-site (medium).
/// 2. An iframe (`Sec-Fetch-Dest: iframe`) belongs to the page that embeds it (its Referer, or the
///    client's current page), and is remembered so that its own subresources attach to that page.
/// 3. A subresource attaches through its Referer, else its Origin (high) — through the frame map
///    when that site is a frame of a page (medium).
/// 4. Anything else (tunnels Crumbs did not open, requests without headers) goes to the client's
///    most recent page if it opened within `window` (low), or stays unattributed.
public struct FirstPartyAttributor: Sendable {
    public struct Result: Equatable, Sendable {
        public var site: String?
        public var attribution: Classification.Attribution
        public var confidence: Classification.Confidence

        public init(site: String?, attribution: Classification.Attribution, confidence: Classification.Confidence) {
            self.site = site
            self.attribution = attribution
            self.confidence = confidence
        }
    }

    private struct ClientState {
        var page: String?
        var pageOpened = Date.distantPast
        /// Site of a frame → site of the page that embeds it.
        var frames: [String: String] = [:]
    }

    /// How long after a page opened a request without evidence is still attributed to it.
    public var window: TimeInterval
    private var clients: [String: ClientState] = [:]

    public init(window: TimeInterval = 30) {
        self.window = window
    }

    /// `site` is the registrable domain of the event's host.
    public mutating func attribute(_ event: RequestEvent, site: String) -> Result {
        var state = clients[event.clientAddress] ?? ClientState()
        defer { clients[event.clientAddress] = state }
        let dest = event.secFetchDest?.lowercased()
        let hasFetchMetadata = dest != nil || event.secFetchSite != nil

        if event.kind == .request, dest == "document" {
            return openPage(site, at: event.time, confidence: .high, state: &state)
        }
        if event.kind == .request, !hasFetchMetadata, isHTML(event),
            event.refererSite == nil || event.refererSite == site
        {
            return openPage(site, at: event.time, confidence: .medium, state: &state)
        }
        if dest == "iframe" || dest == "frame" || dest == "fencedframe" {
            let parent = event.refererSite.map { state.frames[$0] ?? $0 } ?? state.page
            guard let parent else { return Result(site: nil, attribution: .unattributed, confidence: .none) }
            if site != parent { state.frames[site] = parent }
            return Result(site: parent, attribution: .parentFrame, confidence: event.refererSite == nil ? .low : .high)
        }
        for (header, attribution) in [(event.refererSite, .referer), (event.originSite, .origin)]
            as [(String?, Classification.Attribution)]
        {
            guard let initiator = header else { continue }
            if let top = state.frames[initiator], top != initiator {
                return Result(site: top, attribution: .parentFrame, confidence: .medium)
            }
            return Result(site: initiator, attribution: attribution, confidence: .high)
        }
        if let page = state.page, event.time.timeIntervalSince(state.pageOpened) <= window {
            return Result(site: page, attribution: .timeWindow, confidence: .low)
        }
        return Result(site: nil, attribution: .unattributed, confidence: .none)
    }

    private func isHTML(_ event: RequestEvent) -> Bool {
        guard event.method == "GET", let type = event.contentType else { return false }
        return type == "text/html" || type == "application/xhtml+xml"
    }

    private func openPage(
        _ site: String, at time: Date, confidence: Classification.Confidence, state: inout ClientState
    )
        -> Result
    {
        state.page = site
        state.pageOpened = time
        state.frames.removeAll(keepingCapacity: true)
        return Result(site: site, attribution: .navigation, confidence: confidence)
    }
}
