import CrumbsModel
import Foundation
import NIOCore
import NIOHTTP1

/// CONNECT tunnels and upgraded (WebSocket) connections: once the upstream side is connected the
/// HTTP handlers leave the client's pipeline and two glue handlers relay raw bytes.
extension ProxyHandler {
    func openTunnel(to target: HostAndPort, head: HTTPRequestHead, context: ChannelHandlerContext) {
        state = .switching
        pauseClientReads()
        shared.statistics.tunnelOpened()
        let event = shared.events.tunnelEvent(target: target, client: clientAddress, time: Date())
        // Attribution needs to know now, not when the tunnel closes, that it opened.
        var opened = event
        opened.kind = .tunnelOpened
        shared.sink.record(opened)
        let record = TunnelRecord(event: event, started: .now(), sink: shared.sink, sniffStatus: false)
        let glue = TunnelGlue.pair(
            tunnel: record, idleTimeout: shared.configuration.tunnelIdleTimeout,
            shutdownGrace: shared.configuration.shutdownGrace)
        let connector = TunnelConnector(eventLoop: context.eventLoop, configuration: shared.configuration)
        connector.connect(
            to: target, glue: glue.server, viaParent: true, via: head.headers[canonicalForm: "via"]
        )
        .assumeIsolated()
        .whenComplete { result in
            switch result {
            case .success(let upstream):
                guard let context = self.context, context.channel.isActive else {
                    record.sideClosed()  // the client side never joined the tunnel
                    upstream.close(promise: nil)
                    return
                }
                let established = HTTPResponseHead(
                    version: head.version,
                    status: .custom(code: 200, reasonPhrase: "Connection Established")
                )
                context.write(self.wrapOutboundOut(.head(established)), promise: nil)
                context.writeAndFlush(self.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                    self.becomeTunnel(clientGlue: glue.client, upstream: upstream)
                }
            case .failure(let error):
                self.failTunnel(event: event, error: error, target: target, version: head.version)
            }
        }
    }

    /// `tls`: the upgrade came out of an intercepted tunnel (wss), so the origin is reached in TLS.
    func openUpgrade(
        to target: HostAndPort, pathAndQuery: String, head: HTTPRequestHead, tls: InterceptionTLS? = nil,
        context: ChannelHandlerContext
    ) {
        state = .switching
        pauseClientReads()
        let configuration = shared.configuration
        var headers = head.headers
        HopByHopHeaders.strip(&headers, keepUpgrade: true)
        let hostHeader = target.hostHeader(defaultPort: tls == nil ? 80 : 443)
        headers.replaceOrAdd(name: "Host", value: hostHeader)
        HopByHopHeaders.addVia(&headers, version: head.version, token: configuration.viaToken)
        let uri =
            configuration.upstreamProxy == nil || tls != nil ? pathAndQuery : "http://\(hostHeader)\(pathAndQuery)"
        var requestBytes = context.channel.allocator.buffer(capacity: 512)
        requestBytes.writeString("\(head.method.rawValue) \(uri) HTTP/1.1\r\n")
        for (name, value) in headers { requestBytes.writeString("\(name): \(value)\r\n") }
        requestBytes.writeString("\r\n")

        let event = shared.events.requestEvent(
            head: head, kind: .upgrade, scheme: tls == nil ? "ws" : "wss", target: target, pathAndQuery: pathAndQuery,
            intercepted: tls != nil, client: clientAddress, time: Date()
        )
        let record = TunnelRecord(event: event, started: .now(), sink: shared.sink, sniffStatus: true)
        let glue = TunnelGlue.pair(
            tunnel: record, idleTimeout: shared.configuration.tunnelIdleTimeout,
            shutdownGrace: shared.configuration.shutdownGrace)
        let connector = TunnelConnector(eventLoop: context.eventLoop, configuration: configuration)
        // Through a parent proxy a clear upgrade is an ordinary request in absolute form; one in
        // TLS needs a CONNECT to the parent first.
        let upstreamTarget = tls == nil ? shared.connectionKey(for: target) : target
        connector.connect(
            to: upstreamTarget, glue: glue.server, viaParent: tls != nil, via: head.headers[canonicalForm: "via"],
            tls: tls
        )
        .assumeIsolated()
        .whenComplete { result in
            switch result {
            case .success(let upstream):
                guard self.context?.channel.isActive == true else {
                    record.sideClosed()  // the client side never joined the tunnel
                    upstream.close(promise: nil)
                    return
                }
                upstream.writeAndFlush(requestBytes, promise: nil)
                self.becomeTunnel(clientGlue: glue.client, upstream: upstream)
            case .failure(let error):
                var failed = event
                failed.kind = .upgrade
                self.failTunnel(event: failed, error: error, target: target, version: head.version)
            }
        }
    }

    /// Swaps the client's HTTP handlers for the glue. From now on this handler is gone.
    private func becomeTunnel(clientGlue: TunnelGlue, upstream: Channel) {
        guard let context, context.channel.isActive else {
            upstream.close(promise: nil)
            return
        }
        let pipeline = context.pipeline.syncOperations
        do {
            try pipeline.addHandler(clientGlue)
            state = .closed
            // This handler leaves first: nothing HTTP-shaped must reach it once bytes flow.
            pipeline.removeHandler(context: context, promise: nil)
            try ProxyPipeline.removeHTTPHandlers(from: pipeline)
            // Reads held back while connecting must start again through the glue.
            context.channel.read()
            upstream.read()
            // A client that half-closed right behind its request (the end was read before the
            // glue was there to see it) has sent all it will: the origin hears so now.
            if clientFinishedSending { upstream.close(mode: .output, promise: nil) }
        } catch {
            shared.logger.error("tunnel.setup-failed", metadata: ["error": "\(error)"])
            context.close(promise: nil)
            upstream.close(promise: nil)
        }
    }

    private func failTunnel(event: RequestEvent, error: Error, target: HostAndPort, version: HTTPVersion) {
        let failure = UpstreamFailure(connectError: error, target: target)
        var event = event
        event.status = Int(failure.status.code)
        event.failure = failure.reason
        record(event)
        state = .closed
        guard let context else { return }
        let page = ProxyResponse.errorPage(failure.status, title: failure.title, detail: failure.reason)
        if event.kind == .tunnel {
            writeAnswerToConnect(page, version: version, context: context)
        } else {
            write(page, version: version, close: true, context: context)
        }
    }
}
