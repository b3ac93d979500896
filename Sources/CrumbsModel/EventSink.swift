/// The one boundary between the event loop and everything after it.
///
/// `record(_:)` must return at once and never throw: the proxy calls it on its event loop.
public protocol EventSink: Sendable {
    func record(_ event: RequestEvent)
}
