import NIOCore
import NIOExtras
import NIOHTTP1

/// A CONNECT through the parent proxy (`--upstream`), shared by tunnels and TLS upstreams: the
/// handlers that ask for the tunnel, and their removal once the parent said 200.
enum ParentTunnel {
    /// Adds the request encoder, response decoder and CONNECT handler; `established` completes
    /// with the parent's answer.
    static func addConnectHandlers(
        to channel: Channel, target: HostAndPort, viaToken: String, timeout: TimeAmount,
        established: EventLoopPromise<Void>
    ) throws {
        let sync = channel.pipeline.syncOperations
        try sync.addHandler(HTTPRequestEncoder(), name: "parent-encoder")
        try sync.addHandler(
            ByteToMessageHandler(HTTPResponseDecoder(leftOverBytesStrategy: .forwardBytes)), name: "parent-decoder")
        try sync.addHandler(
            NIOHTTP1ProxyConnectHandler(
                targetHost: target.host, targetPort: target.port, headers: ["Via": "1.1 \(viaToken)"],
                deadline: .now() + timeout, promise: established),
            name: "parent-connect")
    }

    /// Removes the parent's codec (the CONNECT handler removes itself on success). Completes once
    /// both are gone: the decoder leaves only after its read loop, and anything written before
    /// that (a TLS ClientHello) would run into the encoder.
    static func removeConnectHandlers(from channel: Channel) -> EventLoopFuture<Void> {
        let sync = channel.pipeline.syncOperations
        let removals = ["parent-encoder", "parent-decoder"].map { name in
            let removed = channel.eventLoop.makePromise(of: Void.self)
            sync.removeHandler(name: name, promise: removed)
            return removed.futureResult
        }
        return EventLoopFuture.andAllSucceed(removals, on: channel.eventLoop)
    }
}
