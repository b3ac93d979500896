import CrumbsModel
import Foundation

/// Decides which first-party site (page) each event belongs to, per client, and how sure that is.
///
/// Events may come in any order across batches (a tunnel is recorded when it closes, minutes after
/// it opened), so the attributor keeps each client's recent navigations on a timeline and places
/// every event by the time it *started*: a page opened after a request started is never its page.
///
/// The rules, in order:
/// 0. A page the recording names (a HAR's `pageref`) is the page: its document opens it, every
///    other entry of it belongs to it (high).
/// 1. A top-level navigation opens a page: `Sec-Fetch-Dest: document` (high confidence), or,
///    (a redirect hop with a Referer belongs to the page the click came from instead),
///    without fetch metadata, an HTML response whose Referer is absent or same-site (medium).
/// 2. An iframe (`Sec-Fetch-Dest: iframe`) belongs to the page that embeds it (its Referer, or the
///    client's page at the time), and is remembered so that its own subresources attach to that page.
/// 3. A subresource attaches through its Referer, else its Origin (high) — through the frame map
///    when that site is a frame of a page (medium), and to the page that loaded a third-party
///    subresource when the Referer is that subresource (a font fetched by a stylesheet; medium).
/// 4. A tunnel Crumbs did not decrypt goes to the latest navigation that opened before it within
///    `window`: a plain-http page (`timeWindow`), or a navigation inferred from the CONNECT
///    stream (`inferredNavigation`, see `TunnelTimeline`). Both are guesses: low confidence.
/// 5. Anything else without evidence goes to the client's page at the time, within `window`
///    (low), or stays unattributed.
public struct FirstPartyAttributor: Sendable {
    public struct Result: Equatable, Sendable {
        public var site: String?
        public var attribution: Classification.Attribution
        public var confidence: Classification.Confidence
        /// The host of the page (or frame) that made the request, when known: what `domain=`
        /// options of filter rules are compared with.
        public var pageHost: String?

        public init(
            site: String?, attribution: Classification.Attribution, confidence: Classification.Confidence,
            pageHost: String? = nil
        ) {
            self.site = site
            self.attribution = attribution
            self.confidence = confidence
            self.pageHost = pageHost
        }

        static let unattributed = Result(site: nil, attribution: .unattributed, confidence: .none)
    }

    /// A page load seen as such (a document request).
    struct Navigation {
        var time: Date
        var site: String
        var host: String
        /// Site of a frame → site of the page that embeds it.
        var frames: [String: String] = [:]
        /// Sites of third-party subresources this page loaded (a stylesheet's host, say).
        var subresources: Set<String> = []
    }

    struct ClientState {
        /// Ordered by time; the latest last.
        var navigations: [Navigation] = []
        var tunnels = TunnelTimeline()

        mutating func prune(before oldest: Date, keeping maximum: Int) {
            let stale = navigations.prefix { $0.time < oldest }.count
            navigations.removeFirst(max(stale, navigations.count > 2 * maximum ? navigations.count - maximum : 0))
            tunnels.prune(before: oldest)
        }
    }

    /// How long after a page opened a request without evidence is still attributed to it.
    public var window: TimeInterval
    /// How far back per client navigations and tunnel openings are kept.
    static let horizon: TimeInterval = 600
    static let maximumNavigations = 256
    private var clients: [String: ClientState] = [:]

    public init(window: TimeInterval = 30) {
        self.window = window
    }

    /// A CONNECT tunnel opened (the `tunnelOpened` marker). `listed`: a list files the host as a
    /// third party, so it cannot be a page the user went to.
    public mutating func noteTunnelOpened(client: String, host: String, site: String, at time: Date, listed: Bool) {
        // The browser's own connections say nothing about the pages it shows.
        guard !BrowserServices.contains(host) else { return }
        clients[client, default: ClientState()].tunnels.add(
            TunnelTimeline.Opening(time: time, host: host, site: site, listed: listed))
        prune(client, now: time)
    }

    /// `site` is the registrable domain of the event's host.
    public mutating func attribute(_ event: RequestEvent, site: String) -> Result {
        // Moved out of the dictionary, so that changes to its arrays happen in place, not on a copy.
        var state = clients.removeValue(forKey: event.clientAddress) ?? ClientState()
        defer {
            clients[event.clientAddress] = state
            prune(event.clientAddress, now: event.time)
        }
        let dest = event.secFetchDest?.lowercased()
        let hasFetchMetadata = dest != nil || event.secFetchSite != nil
        let time = event.time
        let sourceHost = event.detail?.sourceHost

        if let page = event.detail?.recordedPage {
            if page.isDocument {
                return openPage(page.site, host: page.host, at: time, confidence: .high, state: &state)
            }
            return Result(
                site: page.site, attribution: .recordedPage, confidence: .high, pageHost: sourceHost ?? page.host)
        }
        if event.kind == .request, dest == "document", (300..<400).contains(event.status ?? 0),
            let from = event.refererSite
        {
            // A hop of a redirect chain (a click tracker, a link shortener) is not a page the user
            // saw: it belongs to the page the click came from.
            return Result(site: from, attribution: .referer, confidence: .high, pageHost: sourceHost)
        }
        if event.kind == .request, dest == "document" {
            return openPage(site, host: event.host, at: time, confidence: .high, state: &state)
        }
        if event.kind == .request, !hasFetchMetadata, isHTML(event),
            event.refererSite == nil || event.refererSite == site
        {
            return openPage(site, host: event.host, at: time, confidence: .medium, state: &state)
        }
        let index = state.navigations.lastIndex { $0.time <= time }
        if dest == "iframe" || dest == "frame" || dest == "fencedframe" {
            let current = index.map { state.navigations[$0] }
            let parent = event.refererSite.map { current?.frames[$0] ?? $0 } ?? current?.site
            guard let parent else { return .unattributed }
            if site != parent, let index { state.navigations[index].frames[site] = parent }
            return Result(
                site: parent, attribution: .parentFrame, confidence: event.refererSite == nil ? .low : .high,
                pageHost: sourceHost ?? current?.host)
        }
        for (header, attribution) in [(event.refererSite, .referer), (event.originSite, .origin)]
            as [(String?, Classification.Attribution)]
        {
            guard let initiator = header else { continue }
            guard let index else {
                return Result(site: initiator, attribution: attribution, confidence: .high, pageHost: sourceHost)
            }
            let page = state.navigations[index]
            if let top = page.frames[initiator], top != initiator {
                return Result(site: top, attribution: .parentFrame, confidence: .medium, pageHost: sourceHost)
            }
            // The initiator is a subresource of the page (a stylesheet's host), not a page.
            if initiator != page.site, page.subresources.contains(initiator),
                !state.navigations.contains(where: { $0.site == initiator })
            {
                return Result(site: page.site, attribution: attribution, confidence: .medium, pageHost: page.host)
            }
            if initiator == page.site, site != initiator { state.navigations[index].subresources.insert(site) }
            return Result(site: initiator, attribution: attribution, confidence: .high, pageHost: sourceHost)
        }
        // The browser's own services (updates, safe browsing…) belong to no page.
        if BrowserServices.contains(event.host) { return .unattributed }
        if event.kind == .tunnel, event.source == .proxy {
            return attributeTunnel(event, site: site, navigation: index.map { state.navigations[$0] }, state: state)
        }
        if let index, time.timeIntervalSince(state.navigations[index].time) <= window {
            let page = state.navigations[index]
            return Result(site: page.site, attribution: .timeWindow, confidence: .low, pageHost: page.host)
        }
        return .unattributed
    }

    /// Rule 4: the latest of the plain-http page and the inferred navigation before the tunnel.
    private func attributeTunnel(
        _ event: RequestEvent, site: String, navigation: Navigation?, state: ClientState
    ) -> Result {
        let inferred = state.tunnels.navigation(
            atOrBefore: event.time, notBefore: event.time.addingTimeInterval(-window))
        if let inferred, inferred.time >= (navigation?.time ?? .distantPast) {
            guard event.time.timeIntervalSince(inferred.time) <= window else { return .unattributed }
            return Result(
                site: inferred.site, attribution: .inferredNavigation, confidence: .low, pageHost: inferred.host)
        }
        if let navigation, event.time.timeIntervalSince(navigation.time) <= window {
            return Result(site: navigation.site, attribution: .timeWindow, confidence: .low, pageHost: navigation.host)
        }
        return .unattributed
    }

    private func isHTML(_ event: RequestEvent) -> Bool {
        guard event.method == "GET", let type = event.contentType else { return false }
        return type == "text/html" || type == "application/xhtml+xml"
    }

    private func openPage(
        _ site: String, host: String, at time: Date, confidence: Classification.Confidence, state: inout ClientState
    ) -> Result {
        let navigation = Navigation(time: time, site: site, host: host)
        // Nearly always the latest: insert from the end.
        let position = state.navigations.lastIndex { $0.time <= time }.map { $0 + 1 } ?? 0
        state.navigations.insert(navigation, at: position)
        state.tunnels.noteActivity(at: time)
        return Result(site: site, attribution: .navigation, confidence: confidence, pageHost: host)
    }

    /// Forgets what is older than `horizon` (and, past twice the cap, the oldest): in chunks,
    /// so that a busy client does not shift its arrays on every event.
    private mutating func prune(_ client: String, now: Date) {
        guard let state = clients[client] else { return }
        let oldest = now.addingTimeInterval(-Self.horizon)
        let staleNavigations =
            (state.navigations.first.map { $0.time < oldest } ?? false)
            || state.navigations.count > 2 * Self.maximumNavigations
        guard staleNavigations || state.tunnels.needsPruning(before: oldest) else { return }
        clients[client]?.prune(before: oldest, keeping: Self.maximumNavigations)
    }
}
