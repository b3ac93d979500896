import CrumbsModel
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix

/// A CONNECT through the parent proxy (`--upstream`), shared by tunnels and TLS upstreams: the
/// handlers that ask for the tunnel, and their removal once the parent said 200.
enum ParentTunnel {
    /// Connects `bootstrap` to `parent` and asks it for a tunnel to `target`. Completes with the
    /// channel once the parent said 200 and its HTTP codec has left: from then on the channel
    /// carries the target's bytes.
    ///
    /// `via`: the `Via` entries the client's request arrived with. The CONNECT carries them with
    /// ours added (as every request we forward does), so that a proxy further on (another Crumbs
    /// naming us as its parent) sees the whole chain, and we recognise our own token if the
    /// CONNECT comes back to us.
    static func open(
        _ bootstrap: ClientBootstrap, on eventLoop: EventLoop, parent: HostAndPort, target: HostAndPort,
        via: [Substring], viaToken: String, timeout: TimeAmount
    ) -> EventLoopFuture<Channel> {
        let established = eventLoop.makePromise(of: Void.self)
        var headers = HTTPHeaders(via.map { ("Via", String($0)) })
        HopByHopHeaders.addVia(&headers, version: .http1_1, token: viaToken)
        return bootstrap.channelInitializer { channel in
            channel.eventLoop.makeCompletedFuture {
                try addConnectHandlers(
                    to: channel, target: target, headers: headers, timeout: timeout, established: established)
            }
        }
        .connect(to: parent)
        .flatMapErrorThrowing { error -> Channel in
            established.fail(error)  // ignored when the CONNECT handler already settled it
            throw error
        }
        .flatMap { channel in
            established.futureResult.flatMap { removeConnectHandlers(from: channel) }.map { channel }
        }
    }

    /// Adds the request encoder, response decoder and CONNECT handler; `established` completes
    /// with the parent's answer.
    private static func addConnectHandlers(
        to channel: Channel, target: HostAndPort, headers: HTTPHeaders, timeout: TimeAmount,
        established: EventLoopPromise<Void>
    ) throws {
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(HTTPRequestEncoder(), name: "parent-encoder")
        try sync.addHandler(
            ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)), name: "parent-decoder")
        try sync.addHandler(
            NIOHTTP1ProxyConnectHandler(
                targetHost: target.host, targetPort: target.port, headers: headers,
                deadline: .now() + timeout, promise: established),
            name: "parent-connect")
    }

    /// Removes the parent's codec (the CONNECT handler removes itself on success). Completes once
    /// both are gone: the decoder leaves only after its read loop, and anything written before
    /// that (a TLS ClientHello) would run into the encoder.
    private static func removeConnectHandlers(from channel: Channel) -> EventLoopFuture<Void> {
        let sync = channel.pipeline.syncOperations
        let removals = ["parent-encoder", "parent-decoder"].map { name in
            let removed = channel.eventLoop.makePromise(of: Void.self)
            sync.removeHandler(name: name, promise: removed)
            return removed.futureResult
        }
        return EventLoopFuture.andAllSucceed(removals, on: channel.eventLoop)
    }
}
