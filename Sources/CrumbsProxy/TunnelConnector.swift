import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix

/// Opens the upstream side of a tunnel: a plain TCP connection to the target, or a CONNECT
/// through the parent proxy. The returned channel carries raw bytes and has `glue` installed.
struct TunnelConnector {
    let eventLoop: EventLoop
    let configuration: ProxyConfiguration

    func connect(to target: HostAndPort, glue: TunnelGlue, viaParent: Bool) -> EventLoopFuture<Channel> {
        let timeout = configuration.upstreamTimeout
        let idle = configuration.tunnelIdleTimeout
        let bootstrap = ClientBootstrap(group: eventLoop)
            .connectTimeout(timeout)
            .channelOption(.allowRemoteHalfClosure, value: true)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
        let glueBox = NIOLoopBound(glue, eventLoop: eventLoop)
        guard viaParent, let parent = configuration.upstreamProxy else {
            return bootstrap.channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
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
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(HTTPRequestEncoder(), name: "parent-encoder")
                try sync.addHandler(
                    ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)),
                    name: "parent-decoder"
                )
                try sync.addHandler(
                    NIOHTTP1ProxyConnectHandler(
                        targetHost: target.host,
                        targetPort: target.port,
                        headers: ["Via": "1.1 \(viaToken)"],
                        deadline: .now() + timeout,
                        promise: established
                    ),
                    name: "parent-connect"
                )
            }
        }
        .connect(host: parent.host, port: parent.port)
        .flatMap { channel in
            established.futureResult.flatMapThrowing {
                // The parent said 200: from here on the connection carries the tunnel's bytes.
                let sync = channel.pipeline.syncOperations
                try sync.addHandler(IdleStateHandler(allTimeout: idle))
                try sync.addHandler(glueBox.value)
                sync.removeHandler(name: "parent-connect", promise: nil)
                sync.removeHandler(name: "parent-encoder", promise: nil)
                sync.removeHandler(name: "parent-decoder", promise: nil)
                return channel
            }
        }
    }
}
