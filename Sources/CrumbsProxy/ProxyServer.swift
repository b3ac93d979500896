import CrumbsIngest
import CrumbsModel
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOPosix

/// The forwarding proxy: binds the listening socket and gives every accepted client its
/// pipeline. Emits one `RequestEvent` per request and per tunnel into the sink.
public final class ProxyServer: Sendable {
    public let statistics = ProxyStatistics()
    private let shared: ProxyContext
    private let group: any EventLoopGroup
    private let pools: LoopPools
    private let serverChannel = NIOLockedValueBox<Channel?>(nil)
    /// Knows every client connection, so that stopping can let each finish what it is doing.
    /// Released by `stop()`: its deinit completes a promise on the group, which must then still run.
    private let quiescing: NIOLockedValueBox<ServerQuiescingHelper?>

    public init(
        configuration: ProxyConfiguration,
        sink: any EventSink,
        events: EventBuilder,
        logger: Logger,
        group: any EventLoopGroup
    ) throws {
        let tls = try configuration.interception.map(InterceptionTLS.init(settings:))
        self.shared = ProxyContext(
            configuration: configuration,
            events: events,
            sink: sink,
            statistics: statistics,
            pages: LocalPages(
                statistics: statistics, startedAt: Date(),
                caPage: CAInstallPage(
                    authority: configuration.authorityCertificate
                        ?? configuration.interception?.issuer.authorityCertificate),
                interception: tls.map { ($0.settings.mode, $0.trust) }, recording: configuration.recording),
            logger: logger,
            tls: tls
        )
        self.group = group
        self.quiescing = NIOLockedValueBox(ServerQuiescingHelper(group: group))
        self.pools = LoopPools(group: group, configuration: configuration, tls: tls)
    }

    /// Starts listening; returns the bound address (useful with port 0).
    public func start() async throws -> SocketAddress {
        let shared = self.shared
        let pools = self.pools
        let configuration = shared.configuration
        guard let quiescing = self.quiescing.withLockedValue({ $0 }) else { throw ChannelError.ioOnClosedChannel }
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 512)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try Self.initialize(channel, shared: shared, pools: pools)
                }
            }
            .bind(host: configuration.listenHost, port: configuration.listenPort)
            .get()
        serverChannel.withLockedValue { $0 = channel }
        guard let address = channel.localAddress else { throw ChannelError.unknownLocalAddress }
        return address
    }

    /// Stops accepting, lets every connection finish the request it is serving (up to the
    /// configured grace period, after which what is left is cut and recorded as cut), then closes
    /// idle upstream connections. Returns once every client connection is closed, so that every
    /// event has been handed to the sink.
    public func stop() async {
        guard serverChannel.withLockedValue({ $0 }) != nil,
            let helper = quiescing.withLockedValue({ helper in
                defer { helper = nil }; return helper
            })
        else { return }
        let closed = group.next().makePromise(of: Void.self)
        helper.initiateShutdown(promise: closed)
        // Each connection enforces the grace period itself; the margin is for closing sockets.
        let limit = shared.configuration.shutdownGrace + .seconds(2)
        await withTaskGroup(of: Void.self) { waiting in
            waiting.addTask { try? await closed.futureResult.get() }
            waiting.addTask { try? await Task.sleep(for: .nanoseconds(limit.nanoseconds)) }
            await waiting.next()
            waiting.cancelAll()
        }
        for loop in group.makeIterator() {
            try? await loop.submit { self.pools.pool(for: loop).closeAll() }.get()
        }
    }

    private static func initialize(_ channel: Channel, shared: ProxyContext, pools: LoopPools) throws {
        let sync = channel.pipeline.syncOperations
        guard let remote = channel.remoteAddress,
            shared.configuration.allowedClients.contains(where: { $0.contains(remote) })
        else {
            shared.statistics.clientRefused()
            shared.logger.warning(
                "client.refused",
                metadata: [
                    "client": "\(channel.remoteAddress?.ipAddress ?? "unknown")", "reason": "not on the allow list",
                ]
            )
            try sync.addHandler(
                RefusalHandler(status: "403 Forbidden", message: "This Crumbs proxy does not serve your address.")
            )
            return
        }
        let client = remote.ipAddress ?? "unknown"
        let configuration = shared.configuration
        if let refusal = shared.statistics.admitConnection(
            from: client, limit: configuration.maxConnections, perClient: configuration.maxConnectionsPerClient)
        {
            shared.statistics.clientRefused()
            let message =
                switch refusal {
                case .proxyFull: "Too many connections: this proxy serves \(configuration.maxConnections) at most."
                case .clientFull:
                    "Too many connections from your address: at most \(configuration.maxConnectionsPerClient)."
                }
            shared.logger.warning("client.refused", metadata: ["client": "\(client)", "reason": "\(message)"])
            try sync.addHandler(RefusalHandler(status: "503 Service Unavailable", message: message))
            return
        }
        let statistics = shared.statistics
        channel.closeFuture.whenComplete { _ in statistics.connectionClosed(from: client) }
        try ProxyPipeline.configure(channel, shared: shared, pool: pools.pool(for: channel.eventLoop))
    }
}

/// One upstream pool per event loop. Each pool is only ever touched on its own loop, which is
/// what makes sharing this table across threads safe.
private struct LoopPools: @unchecked Sendable {
    private let pools: [ObjectIdentifier: UpstreamPool]

    init(group: any EventLoopGroup, configuration: ProxyConfiguration, tls: InterceptionTLS?) {
        var pools: [ObjectIdentifier: UpstreamPool] = [:]
        for loop in group.makeIterator() {
            pools[ObjectIdentifier(loop)] = UpstreamPool(
                eventLoop: loop,
                maxIdlePerHost: configuration.maxIdleUpstreamPerHost,
                connectTimeout: configuration.upstreamTimeout,
                tls: tls,
                viaToken: configuration.viaToken
            )
        }
        self.pools = pools
    }

    func pool(for loop: any EventLoop) -> UpstreamPool {
        guard let pool = pools[ObjectIdentifier(loop)] else {
            preconditionFailure("event loop \(loop) is not part of the proxy's group")
        }
        return pool
    }
}
