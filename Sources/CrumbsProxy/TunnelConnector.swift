import CrumbsModel
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// Opens the upstream side of a tunnel: a plain TCP connection to the target, or a CONNECT
/// through the parent proxy. The returned channel carries raw bytes and has `glue` installed.
struct TunnelConnector {
    let eventLoop: EventLoop
    let configuration: ProxyConfiguration

    /// `tls`: wrap the bytes in TLS to `target` (a WebSocket upgraded inside an intercepted tunnel).
    /// `via`: the client request's `Via` entries, passed on to the parent (see `ParentTunnel`).
    func connect(
        to target: HostAndPort, glue: TunnelGlue, viaParent: Bool, via: [Substring], tls: InterceptionTLS? = nil
    ) -> EventLoopFuture<Channel> {
        let timeout = configuration.upstreamTimeout
        let encryption: NIOSSLClientHandler?
        do {
            encryption = try tls.map { try $0.clientHandler(for: target.host, verdict: NIOLockedValueBox(nil)) }
        } catch {
            return eventLoop.makeFailedFuture(error)
        }
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
        // Handlers are made here and added on the channel's loop, which is this loop.
        let glueBox = NIOLoopBound(glue, eventLoop: eventLoop)
        let encryptionBox = NIOLoopBound(encryption, eventLoop: eventLoop)
        guard viaParent, let parent = configuration.upstreamProxy else {
            return bootstrap.channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if let encryption = encryptionBox.value { try sync.addHandler(encryption) }
                    try sync.addHandler(glueBox.value)
                }
            }
            .connect(to: target)
        }
        return ParentTunnel.open(
            bootstrap, on: eventLoop, parent: HostAndPort(host: parent.host, port: parent.port), target: target,
            via: via, viaToken: configuration.viaToken, timeout: timeout
        )
        .flatMapThrowing { channel in
            let sync = channel.pipeline.syncOperations
            if let encryption = encryptionBox.value { try sync.addHandler(encryption) }
            try sync.addHandler(glueBox.value)
            return channel
        }
    }
}
