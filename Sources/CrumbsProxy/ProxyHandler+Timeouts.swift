import NIOCore

/// The two timeouts of a client connection: idle between requests (the connection is closed),
/// and an upstream silent in the middle of an exchange (504, or the response is cut off). Both
/// are `LazyDeadline`s, so a busy keep-alive connection schedules a timer about once per
/// timeout period instead of once per request.
extension ProxyHandler {
    func startDeadlines(on eventLoop: EventLoop) {
        idleSince = .now()
        let idle = LazyDeadline(on: eventLoop) { [weak self] in self?.checkIdle() }
        idle.ensure(within: idleCheckInterval)
        idleDeadline = idle
        upstreamDeadline = LazyDeadline(on: eventLoop) { [weak self] in self?.checkUpstreamSilence() }
    }

    func stopDeadlines() {
        idleDeadline?.cancel()
        upstreamDeadline?.cancel()
    }

    /// How soon a pending idle check must run: never later than the short timeout, so that an
    /// idle connection notices soon when the proxy fills up. A configuration value: the
    /// statistics' lock is taken only when a check runs, not for every request.
    var idleCheckInterval: TimeAmount {
        min(shared.configuration.idleTimeout, shared.configuration.idleTimeoutUnderPressure)
    }

    /// How long this connection may stay idle now: shorter when the proxy is nearly full.
    private var idleTimeout: TimeAmount {
        let configuration = shared.configuration
        guard shared.statistics.isUnderPressure(limit: configuration.maxConnections) else {
            return configuration.idleTimeout
        }
        return min(configuration.idleTimeout, configuration.idleTimeoutUnderPressure)
    }

    /// Closes a connection idle for the whole timeout; a busy one is checked again once it is idle.
    /// The next check comes no later than the short timeout, so that connections already idle
    /// make room soon after the proxy fills up.
    private func checkIdle() -> TimeAmount? {
        guard isIdle, pipelined.isEmpty else { return nil }
        if let left = LazyDeadline.timeLeft(since: idleSince, timeout: idleTimeout) {
            return min(left, idleCheckInterval)
        }
        context?.close(promise: nil)
        return nil
    }

    /// Starts watching the exchange's upstream for silence: from now, and again from each
    /// response part (`Exchange.lastUpstreamActivity`). Waiting for the client's request body is
    /// not the upstream's fault, so the watch starts once the request has ended or the response
    /// has begun.
    func armUpstreamTimer(_ exchange: Exchange) {
        exchange.lastUpstreamActivity = .now()
        guard exchange.requestEnded || exchange.responseStarted else { return }
        exchange.watched = true
        upstreamDeadline?.ensure(within: shared.configuration.upstreamTimeout)
    }

    private func checkUpstreamSilence() -> TimeAmount? {
        guard case .forwarding(let exchange) = state, exchange.watched else { return nil }
        let timeout = shared.configuration.upstreamTimeout
        if let left = LazyDeadline.timeLeft(since: exchange.lastUpstreamActivity, timeout: timeout) { return left }
        let seconds = timeout.nanoseconds / 1_000_000_000
        if exchange.responseStarted {
            abandon(exchange, reason: "upstream silent for \(seconds) s in the middle of the response")
            context?.close(promise: nil)
        } else {
            fail(
                exchange,
                with: UpstreamFailure(
                    status: .gatewayTimeout, reason: "\(exchange.event.host) did not answer within \(seconds) s"))
        }
        return nil
    }
}
