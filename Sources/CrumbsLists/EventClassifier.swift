import CrumbsModel
import Foundation

/// Classifies events in recording order: attribution (stateful, per client) and then the lists'
/// verdict. Runs on the recorder's thread, off the event loop; `reload(_:)` swaps the lists at
/// any time without stopping anything.
public final class EventClassifier: @unchecked Sendable {
    // @unchecked: `state` is only touched while `lock` is held.
    private struct State {
        var lists: LoadedLists
        var attributor: FirstPartyAttributor
    }

    private let lock = NSLock()
    private var state: State

    public init(lists: LoadedLists, attributionWindow: Double = 30) {
        state = State(lists: lists, attributor: FirstPartyAttributor(window: attributionWindow))
    }

    /// Replaces the lists; the next batch is judged by the new ones.
    public func reload(_ lists: LoadedLists) {
        lock.withLock { state.lists = lists }
    }

    public var lists: LoadedLists { lock.withLock { state.lists } }

    /// Returns `events` with `classification` filled in. Events are judged in the order given
    /// (callers sort them by start time); `tunnelOpened` markers feed attribution and come back
    /// unclassified. The URL judged is the whole one (`detail.target`) when the event still
    /// carries it, and `domain=` options see the page's host name.
    public func classify(_ events: [RequestEvent]) -> [RequestEvent] {
        // In place: one copy of the array, not a copy of every event on its way through `map`.
        var events = events
        classify(&events)
        return events
    }

    /// Fills in `classification` of each event in place (see `classify(_:)`), judging them in
    /// the order `order` gives (indices into `events`; all of them, in recording order, when nil).
    public func classify(_ events: inout [RequestEvent], order: [Int]? = nil) {
        lock.withLock {
            let classifier = RequestClassifier(lists: state.lists)
            for index in order ?? Array(events.indices) {
                let event = events[index]
                let site = classifier.site(ofHost: event.host)
                if event.kind == .tunnelOpened {
                    state.attributor.noteTunnelOpened(
                        client: event.clientAddress, host: event.host, site: site, at: event.time,
                        listed: classifier.isListedThirdParty(host: event.host))
                    continue
                }
                let attribution = state.attributor.attribute(event, site: site)
                var result = classifier.classify(
                    url: Self.url(of: event), host: event.host, type: RequestType.infer(for: event),
                    firstPartySite: attribution.site,
                    sourceHost: Self.sourceHost(of: event, attribution: attribution))
                if !result.isTracker, let canonical = event.detail?.canonicalHost,
                    let cloaked = Self.uncloaked(
                        result, event: event, canonical: canonical, classifier: classifier,
                        firstParty: attribution.site ?? site)
                {
                    // The data goes to the tracker: the event is its host's, and says what hid it.
                    result = cloaked
                    events[index].host = canonical
                    events[index].failure = "CNAME cloaking: looked up as \(event.host)"
                }
                result.attribution = attribution.attribution
                result.confidence = attribution.confidence
                events[index].classification = result
            }
        }
    }

    /// A name whose DNS CNAME chain ends at a tracker (CNAME cloaking) is that tracker, as
    /// uBlock Origin judges it: the rule location says which chain made it so. Nil when the
    /// chain ends somewhere that is not a tracker (a CDN).
    static func uncloaked(
        _ result: Classification, event: RequestEvent, canonical: String, classifier: RequestClassifier,
        firstParty: String
    ) -> Classification? {
        var cloaked = classifier.classify(
            url: "https://\(canonical)/", host: canonical, type: RequestType(rawValue: result.requestType) ?? .other,
            firstPartySite: firstParty, sourceHost: event.host)
        guard cloaked.isTracker else { return nil }
        cloaked.firstPartySite = result.firstPartySite
        cloaked.ruleLocation = "CNAME \(event.host) → \(canonical)" + (cloaked.ruleLocation.map { "; " + $0 } ?? "")
        return cloaked
    }

    /// The host of the page or frame that made the request: the Referer's (or Origin's) host, the
    /// request's own for a top-level page load, else the attributed page's.
    static func sourceHost(of event: RequestEvent, attribution: FirstPartyAttributor.Result) -> String? {
        if let host = event.detail?.sourceHost { return host }
        if attribution.attribution == .navigation { return event.host }
        return attribution.pageHost
    }

    /// The URL as far as the event knows it: the whole target while the event carries it, else
    /// the stored path; a tunnel only knows its host.
    static func url(of event: RequestEvent) -> String {
        let scheme = event.kind == .tunnel ? (event.port == 80 ? "http" : "https") : event.scheme
        let defaultPort = scheme == "https" || scheme == "wss" ? 443 : 80
        let host = event.host.utf8.contains(UInt8(ascii: ":")) ? "[\(event.host)]" : event.host
        let port = event.port == defaultPort ? "" : ":\(event.port)"
        let path = event.kind == .tunnel ? "/" : (event.detail?.target ?? event.path ?? "/")
        return "\(scheme)://\(host)\(port)\(path)"
    }
}
