import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Keep-alive connections to origins (or to the parent proxy), one pool per event loop so that a
/// client connection and its upstream always share a thread and never need locks.
final class UpstreamPool {
    let eventLoop: EventLoop
    private let maxIdlePerHost: Int
    private let connectTimeout: TimeAmount
    private let tls: InterceptionTLS?
    private let viaToken: String
    private var idle: [UpstreamRoute: [UpstreamHandler]] = [:]
    /// Pooled connections the server has not used for this long are closed.
    private let idleTimeout: TimeAmount = .seconds(50)

    init(
        eventLoop: EventLoop, maxIdlePerHost: Int, connectTimeout: TimeAmount, tls: InterceptionTLS? = nil,
        viaToken: String = "crumbs"
    ) {
        self.eventLoop = eventLoop
        self.maxIdlePerHost = maxIdlePerHost
        self.connectTimeout = connectTimeout
        self.tls = tls
        self.viaToken = viaToken
    }

    /// Reads of up to 256 KiB from origins (NIO's default stops at 64 KiB): a 64 KiB response
    /// with its head then arrives in one read and leaves in one write, not two of each. The size
    /// adapts per connection, so small responses keep small buffers.
    private static let responseReads = AdaptiveRecvByteBufferAllocator(
        minimum: 64, initial: 2048, maximum: 256 * 1024)

    /// An idle live connection to `key`, if one is pooled.
    ///
    /// The lists are changed in place and kept when empty until the route's last connection
    /// closes: copying a list out of the dictionary and back, or dropping and re-creating it,
    /// cost an array copy or an allocation per request. A route without a list gets none here
    /// (`idle[key, default: []]` would store an empty one, and a route whose connections all
    /// fail would never be forgotten).
    func takeIdle(_ key: UpstreamRoute) -> UpstreamHandler? {
        eventLoop.preconditionInEventLoop()
        guard let index = idle.index(forKey: key) else { return nil }
        while let handler = idle.values[index].popLast() {
            if handler.isUsable { return handler }
        }
        return nil
    }

    /// How many routes the pool keeps a list for.
    var routeCount: Int { idle.count }

    /// Opens a new HTTP/1.1 connection for `route`: TCP to the origin or the parent, a CONNECT
    /// through the parent when the route tunnels, then TLS when it is https. Completes once the
    /// connection can carry a request, so every failure (DNS, refused, parent, certificate) is a
    /// connect failure with its own reason. `via`: the `Via` entries of the request the
    /// connection is opened for, passed on in the CONNECT to the parent (see `ParentTunnel`).
    func connect(_ route: UpstreamRoute, via: [Substring] = []) -> EventLoopFuture<UpstreamHandler> {
        let handler = UpstreamHandler()
        handler.onClose = { [weak self, weak handler] in
            guard let self, let handler else { return }
            self.idle[route]?.removeAll { $0 === handler }
            // Routes are forgotten once their last connection has closed, so hosts visited
            // once do not stay in the table.
            if self.idle[route]?.isEmpty == true { self.idle[route] = nil }
        }
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelOption(.recvAllocator, value: Self.responseReads)
        let connected =
            route.parent.map { parent in
                ParentTunnel.open(
                    bootstrap, on: eventLoop, parent: parent, target: route.origin, via: via, viaToken: viaToken,
                    timeout: connectTimeout)
            } ?? bootstrap.connect(to: route.origin)
        return connected.flatMap { channel in
            self.addHTTPHandlers(handler, to: channel, route: route).map { handler }
        }
    }

    /// TLS (when the route wants it), the HTTP/1.1 client codec and `handler`; completes when the
    /// TLS handshake has, or at once for clear text.
    private func addHTTPHandlers(
        _ handler: UpstreamHandler, to channel: Channel, route: UpstreamRoute
    ) -> EventLoopFuture<Void> {
        let ready = channel.eventLoop.makePromise(of: Void.self)
        do {
            let sync = channel.pipeline.syncOperations
            if route.tls {
                guard let tls else { throw UpstreamVerifier.Refusal(description: "interception is not enabled") }
                let verdict = NIOLockedValueBox<UpstreamVerifier.Refusal?>(nil)
                try sync.addHandler(tls.clientHandler(for: route.origin.host, verdict: verdict))
                try sync.addHandler(TLSHandshakeWaiter(ready: ready, verdict: verdict, timeout: connectTimeout))
            } else {
                ready.succeed()
            }
            // Interim responses (100 Continue) are forwarded to the client, not dropped.
            try sync.addHandler(HTTPRequestEncoder())
            try sync.addHandler(ByteToMessageHandler(HTTPResponseDecoder(informationalResponseStrategy: .forward)))
            try sync.addHandler(handler)
        } catch {
            ready.fail(error)
        }
        return ready.futureResult.flatMapErrorThrowing { error in
            channel.close(promise: nil)
            throw error
        }
    }

    /// Returns a connection whose exchange finished cleanly, for the next request to `key`.
    func release(_ handler: UpstreamHandler, for key: UpstreamRoute) {
        eventLoop.preconditionInEventLoop()
        guard handler.isUsable else { return }
        guard idle[key, default: []].count < maxIdlePerHost else {
            handler.close()
            return
        }
        handler.parkInPool(timeout: idleTimeout)
        handler.resumeReading()
        idle[key, default: []].append(handler)
    }

    /// Closes every idle connection (at shutdown).
    func closeAll() {
        let handlers = idle.values.flatMap { $0 }
        idle.removeAll()
        for handler in handlers { handler.close() }
    }
}
