import CrumbsModel
import NIOCore
import NIOHTTP1

/// Assembles a client connection's pipeline in one place, and takes the HTTP part of it down
/// again when the connection becomes a tunnel.
enum ProxyPipeline {
    /// `intercepted`: the TLS handlers of a decrypted tunnel and the origin it is for; they go
    /// first, so HTTP is parsed from the decrypted bytes.
    ///
    /// No `IdleStateHandler` and no pipelining handler: `ProxyHandler` keeps its own idle
    /// deadline and pipelining queue (NIO's cost a promise per write and two `epoll_ctl` calls per
    /// request).
    static func configure(
        _ channel: Channel, shared: ProxyContext, pool: UpstreamPool,
        intercepted: (tls: [ChannelHandler], origin: HostAndPort)? = nil
    ) throws {
        let sync = channel.pipeline.syncOperations
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = shared.configuration.maxRequestHeadBytes
        limits.maxHeaderFieldSize = shared.configuration.maxRequestHeadBytes
        for handler in intercepted?.tls ?? [] { try sync.addHandler(handler) }
        // NIO's own assembly pairs the request decoder with the response encoder, so responses
        // to HEAD are framed right. (Its cost: bytes a client sends after a CONNECT head but
        // before our 200 are dropped; browsers and curl wait for the 200.)
        try sync.configureHTTPServerPipeline(
            withPipeliningAssistance: false,
            withServerUpgrade: nil,
            withErrorHandling: false,
            withOutboundHeaderValidation: false,
            withEncoderConfiguration: .init(),
            withDecoderLimitConfiguration: limits
        )
        try sync.addHandler(ProxyProtocolErrorHandler())
        try sync.addHandler(ProxyHandler(shared: shared, pool: pool, interceptedOrigin: intercepted?.origin))
    }

    /// Removes the HTTP codec and its helpers so that raw bytes reach the glue after them.
    static func removeHTTPHandlers(from sync: ChannelPipeline.SynchronousOperations) throws {
        if let handler = try? sync.handler(type: ProxyProtocolErrorHandler.self) {
            sync.removeHandler(handler, promise: nil)
        }
        sync.removeHandler(try sync.handler(type: HTTPResponseEncoder.self), promise: nil)
        sync.removeHandler(try sync.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self), promise: nil)
    }
}
