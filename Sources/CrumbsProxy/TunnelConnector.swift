import NIOConcurrencyHelpers
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import NIOSSL

/// Opens the upstream side of a tunnel: a plain TCP connection to the target, or a CONNECT
/// through the parent proxy. The returned channel carries raw bytes and has `glue` installed.
struct TunnelConnector {
    let eventLoop: EventLoop
    let configuration: ProxyConfiguration

    /// `tls`: wrap the bytes in TLS to `target` (a WebSocket upgraded inside an intercepted tunnel).
    func connect(to target: HostAndPort, glue: TunnelGlue, viaParent: Bool, tls: InterceptionTLS? = nil)
        -> EventLoopFuture<Channel>
    {
        let timeout = configuration.upstreamTimeout
        let idle = configuration.tunnelIdleTimeout
        let encryption = try? tls.map { try Self.clientHandler(for: target.host, tls: $0) }
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        let glueBox = NIOLoopBound(glue, eventLoop: eventLoop)
        guard viaParent, let parent = configuration.upstreamProxy else {
            return bootstrap.channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let encryption { try sync.addHandler(encryption) }
                    try sync.addHandler(IdleStateHandler(allTimeout: idle))
                    try sync.addHandler(glueBox.value)
                }
            }
            .connect(host: target.host, port: target.port)
        }
        let viaToken = configuration.viaToken
        let established = eventLoop.makePromise(of: Void.self)
        return bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try ParentTunnel.addConnectHandlers(
                    to: channel, target: target, viaToken: viaToken, timeout: timeout, established: established)
            }
        }
        .connect(host: parent.host, port: parent.port)
        .flatMapError { error in
            established.fail(error)  // ignored when the CONNECT handler already settled it
            return eventLoop.makeFailedFuture(error)
        }
        .flatMap { channel in
            // The parent said 200: from here on the connection carries the tunnel's bytes.
            established.futureResult.flatMap { ParentTunnel.removeConnectHandlers(from: channel) }
                .flatMapThrowing {
                    let sync = channel.pipeline.syncOperations
                    if let encryption { try sync.addHandler(encryption) }
                    try sync.addHandler(IdleStateHandler(allTimeout: idle))
                    try sync.addHandler(glueBox.value)
                    return channel
                }
        }
    }

    /// TLS to `host`, verified like every intercepted origin (a failure closes the tunnel).
    private static func clientHandler(for host: String, tls: InterceptionTLS) throws -> NIOSSLClientHandler {
        let verifier = UpstreamVerifier(trustRoots: tls.trustRoots, host: host)
        return try NIOSSLClientHandler(
            context: tls.clientContext, serverHostname: IPAddressText.isAddress(host) ? nil : host,
            customVerificationCallback: verifier.callback(verdict: NIOLockedValueBox(nil)))
    }
}
