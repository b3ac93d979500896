import NIOCore
import NIOHTTP1
import NIOPosix

/// Keep-alive connections to origins (or to the parent proxy), one pool per event loop so that a
/// client connection and its upstream always share a thread and never need locks.
final class UpstreamPool {
    let eventLoop: EventLoop
    private let maxIdlePerHost: Int
    private let connectTimeout: TimeAmount
    private var idle: [HostAndPort: [UpstreamHandler]] = [:]
    /// Pooled connections the server has not used for this long are closed.
    private let idleTimeout: TimeAmount = .seconds(50)

    init(eventLoop: EventLoop, maxIdlePerHost: Int, connectTimeout: TimeAmount) {
        self.eventLoop = eventLoop
        self.maxIdlePerHost = maxIdlePerHost
        self.connectTimeout = connectTimeout
    }

    /// An idle live connection to `key`, if one is pooled.
    func takeIdle(_ key: HostAndPort) -> UpstreamHandler? {
        eventLoop.preconditionInEventLoop()
        while var list = idle[key], let handler = list.popLast() {
            idle[key] = list.isEmpty ? nil : list
            if handler.isUsable { return handler }
        }
        return nil
    }

    /// Opens a new HTTP/1.1 connection to `key`.
    func connect(_ key: HostAndPort) -> EventLoopFuture<UpstreamHandler> {
        let handler = UpstreamHandler()
        let idleTimeout = self.idleTimeout
        return ClientBootstrap(group: eventLoop)
            .connectTimeout(connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    // Interim responses (100 Continue) are forwarded to the client, not dropped.
                    try sync.addHandler(HTTPRequestEncoder())
                    try sync.addHandler(
                        ByteToMessageHandler(HTTPResponseDecoder(informationalResponseStrategy: .forward))
                    )
                    try sync.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                    try sync.addHandler(handler)
                }
            }
            .connect(host: key.host, port: key.port)
            .map { _ in handler }
    }

    /// Returns a connection whose exchange finished cleanly, for the next request to `key`.
    func release(_ handler: UpstreamHandler, for key: HostAndPort) {
        eventLoop.preconditionInEventLoop()
        guard handler.isUsable else { return }
        var list = idle[key] ?? []
        guard list.count < maxIdlePerHost else {
            handler.close()
            return
        }
        handler.receiver = nil
        handler.resumeReading()
        handler.onClose = { [weak self, weak handler] in
            guard let self, let handler else { return }
            self.idle[key]?.removeAll { $0 === handler }
            if self.idle[key]?.isEmpty == true { self.idle[key] = nil }
        }
        list.append(handler)
        idle[key] = list
    }

    /// Closes every idle connection (at shutdown).
    func closeAll() {
        let handlers = idle.values.flatMap { $0 }
        idle.removeAll()
        for handler in handlers { handler.close() }
    }
}
