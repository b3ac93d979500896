import NIOCore
import NIOExtras

/// Stopping without losing what is under way: when the proxy stops (`ChannelShouldQuiesceEvent`
/// from `ServerQuiescingHelper`), the request in progress is answered and recorded, no new one is
/// taken, and the connection closes. A connection still busy when the grace period ends is cut,
/// and its exchange recorded as cut by the shutdown.
extension ProxyHandler {
    func quiesce(context: ChannelHandlerContext) {
        guard !quiescing else { return }
        quiescing = true
        // The same path as a client that half-closed: close once idle and answered.
        clientFinishedSending = true
        closeIfClientIsDone(context: context)
        let grace = shared.configuration.shutdownGrace
        context.eventLoop.assumeIsolated().scheduleTask(in: grace) { [weak self] in
            self?.stopNow()
        }
    }

    /// The grace period is over: whatever is still running is recorded as cut, and closed.
    private func stopNow() {
        guard let context else { return }
        if case .forwarding(let exchange) = state {
            abandon(exchange, reason: "crumbs stopped before the exchange ended")
            state = .closed
        }
        context.close(promise: nil)
    }
}
