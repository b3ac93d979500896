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

    /// Returns `events` with `classification` filled in.
    public func classify(_ events: [RequestEvent]) -> [RequestEvent] {
        // In place: one copy of the array, not a copy of every event on its way through `map`.
        var events = events
        lock.withLock {
            let classifier = RequestClassifier(lists: state.lists)
            for index in events.indices {
                let site = classifier.site(ofHost: events[index].host)
                let attribution = state.attributor.attribute(events[index], site: site)
                var result = classifier.classify(
                    url: Self.url(of: events[index]), host: events[index].host,
                    type: RequestType.infer(for: events[index]), firstPartySite: attribution.site
                )
                result.attribution = attribution.attribution
                result.confidence = attribution.confidence
                events[index].classification = result
            }
        }
        return events
    }

    /// The URL as far as the event knows it; a tunnel only knows its host.
    static func url(of event: RequestEvent) -> String {
        let scheme = event.kind == .tunnel ? (event.port == 80 ? "http" : "https") : event.scheme
        let defaultPort = scheme == "https" || scheme == "wss" ? 443 : 80
        let host = event.host.utf8.contains(UInt8(ascii: ":")) ? "[\(event.host)]" : event.host
        let port = event.port == defaultPort ? "" : ":\(event.port)"
        let path = event.kind == .tunnel ? "/" : (event.path ?? "/")
        return "\(scheme)://\(host)\(port)\(path)"
    }
}
