import CrumbsModel
import Foundation
import NIOCore
import NIOHTTP1

/// Forwarding absolute-form requests over pooled keep-alive upstream connections.
extension ProxyHandler: UpstreamReceiver {
    /// `tls`: the request came out of an intercepted tunnel and goes to the origin in TLS.
    /// `route`: where to connect, when not the usual way (the dashboard: directly, never through
    /// a parent proxy); `recorded`: false for Crumbs' own pages.
    func startExchange(
        target: HostAndPort, pathAndQuery: String, head: HTTPRequestHead, tls: Bool = false,
        route: UpstreamRoute? = nil, recorded: Bool = true, context: ChannelHandlerContext
    ) {
        let configuration = shared.configuration
        var headers = head.headers
        let hadTransferEncoding = HopByHopHeaders.strip(&headers)
        if hadTransferEncoding, !headers.contains(name: "content-length") {
            // The decoder removed the chunked coding; re-frame so the body keeps its boundaries.
            headers.add(name: "Transfer-Encoding", value: "chunked")
        }
        // A proxy replaces Host with the request-target's authority (RFC 9112 §3.2.2).
        let hostHeader = target.hostHeader(defaultPort: tls ? 443 : 80)
        headers.replaceOrAdd(name: "Host", value: hostHeader)
        HopByHopHeaders.addVia(&headers, version: head.version, token: configuration.viaToken)
        // A parent proxy needs the absolute form; an origin (or a tunnel through the parent) the origin form.
        let uri =
            configuration.upstreamProxy == nil || tls || route != nil
            ? pathAndQuery : "http://\(hostHeader)\(pathAndQuery)"
        let outgoing = HTTPRequestHead(version: .http1_1, method: head.method, uri: uri, headers: headers)
        let event = shared.events.requestEvent(
            head: head, kind: .request, scheme: tls ? "https" : "http", target: target, pathAndQuery: pathAndQuery,
            intercepted: tls, client: clientAddress, time: Date()
        )
        let exchange = Exchange(
            key: route ?? shared.route(for: target, tls: tls), outgoingHead: outgoing, clientHead: head, event: event,
            recorded: recorded
        )
        state = .forwarding(exchange)
        shared.statistics.requestForwarded()
        if let idle = pool.takeIdle(exchange.key) {
            attach(idle, to: exchange, reused: true)
        } else {
            connect(exchange)
        }
    }

    private func connect(_ exchange: Exchange) {
        pauseClientReads()
        // The client's Via chain: the outgoing head's, less the entry `addVia` appended for us
        // (ParentTunnel appends ours to the CONNECT itself).
        let via = Array(exchange.outgoingHead.headers[canonicalForm: "via"].dropLast())
        pool.connect(exchange.key, via: via).assumeIsolated().whenComplete { result in
            guard case .forwarding(let current) = self.state, current === exchange else {
                if case .success(let upstream) = result { upstream.close() }
                return
            }
            switch result {
            case .success(let upstream):
                self.attach(upstream, to: exchange, reused: false)
                self.resumeClientReads()
            case .failure(let error):
                self.fail(exchange, with: UpstreamFailure(connectError: error, target: exchange.key.connectTarget))
            }
        }
    }

    private func attach(_ upstream: UpstreamHandler, to exchange: Exchange, reused: Bool) {
        exchange.upstream = upstream
        exchange.reusedConnection = reused
        upstream.receiver = self
        upstream.send(.head(exchange.outgoingHead), flush: false)
        for part in exchange.buffered {
            if case .body = part { exchange.bodyPartsSent += 1 }
            upstream.send(part, flush: false)
        }
        exchange.buffered.removeAll()
        upstream.flush()
        if exchange.requestEnded { armUpstreamTimer(exchange) }
        if !upstream.isWritable { pauseClientReads() }
    }

    func forwardRequestBody(_ body: ByteBuffer, exchange: Exchange) {
        exchange.event.bytesUp += Int64(body.readableBytes)
        let part = HTTPClientRequestPart.body(.byteBuffer(body))
        guard let upstream = exchange.upstream else {
            exchange.buffered.append(part)
            return
        }
        exchange.bodyPartsSent += 1
        upstream.send(part, flush: false)
        upstreamNeedsFlush = true
        if !upstream.isWritable { pauseClientReads() }
    }

    func finishRequest(_ trailers: HTTPHeaders?, exchange: Exchange) {
        exchange.requestEnded = true
        guard let upstream = exchange.upstream else {
            exchange.buffered.append(.end(trailers))
            return
        }
        upstream.send(.end(trailers), flush: true)
        upstreamNeedsFlush = false
        if !exchange.responseStarted { armUpstreamTimer(exchange) }
    }

    // MARK: upstream events

    func upstream(_ upstream: UpstreamHandler, received part: HTTPClientResponsePart) {
        guard case .forwarding(let exchange) = state, exchange.upstream === upstream, let context else { return }
        exchange.lastUpstreamActivity = .now()
        switch part {
        case .head(let head):
            forwardResponseHead(head, exchange: exchange, context: context)
            armUpstreamTimer(exchange)
        case .body(let body):
            exchange.event.bytesDown += Int64(body.readableBytes)
            context.write(wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
            if !context.channel.isWritable {
                // Pause before flushing: the flush may make the client writable again at once,
                // and the resume that triggers must find us paused, or reading never restarts.
                upstream.pauseReading()
                exchange.watched = false
                context.flush()
            }
        case .end(let trailers):
            complete(exchange, trailers: trailers, context: context)
        }
    }

    func upstreamReadComplete(_ upstream: UpstreamHandler) {
        guard case .forwarding(let exchange) = state, exchange.upstream === upstream else { return }
        context?.flush()
    }

    func upstream(_ upstream: UpstreamHandler, closedWith error: Error?) {
        guard case .forwarding(let exchange) = state, exchange.upstream === upstream else { return }
        exchange.upstream = nil
        if exchange.responseStarted {
            abandon(exchange, reason: "upstream closed the connection in the middle of the response")
            context?.close(promise: nil)
        } else if exchange.reusedConnection, !exchange.retried, exchange.bodyPartsSent == 0 {
            // A pooled connection the server had already closed: send the request again on a
            // fresh one. Safe because no body byte was sent and no response byte arrived.
            exchange.retried = true
            exchange.watched = false
            if exchange.requestEnded { exchange.buffered = [.end(nil)] }
            connect(exchange)
        } else {
            let reason = error.map { "\($0)" } ?? "the connection closed before a response"
            fail(exchange, with: UpstreamFailure(status: .badGateway, reason: "\(exchange.key) closed: \(reason)"))
        }
    }

    func upstreamWritabilityChanged(_ upstream: UpstreamHandler) {
        guard case .forwarding(let exchange) = state, exchange.upstream === upstream else { return }
        if upstream.isWritable { resumeClientReads() }
    }

    private func forwardResponseHead(_ head: HTTPResponseHead, exchange: Exchange, context: ChannelHandlerContext) {
        var headers = head.headers
        HopByHopHeaders.strip(&headers)
        if head.status.code < 200 {
            // 100 Continue and other interim responses: pass on to HTTP/1.1 clients only.
            guard exchange.clientVersion.supportsChunked, head.status != .switchingProtocols else { return }
            let interim = HTTPResponseHead(version: exchange.clientVersion, status: head.status, headers: headers)
            context.writeAndFlush(wrapOutboundOut(.head(interim)), promise: nil)
            return
        }
        exchange.responseStarted = true
        exchange.upstreamKeepAlive = head.isKeepAlive
        shared.events.addResponse(head, to: &exchange.event, time: Date())
        HopByHopHeaders.addVia(&headers, version: head.version, token: shared.configuration.viaToken)
        var close = !exchange.clientKeepAlive
        if !exchange.clientVersion.supportsChunked {
            // HTTP/1.0 has no chunked coding: without a length the body ends when we close.
            if !close, headers.contains(name: "content-length") || !bodyExpected(head, exchange) {
                headers.add(name: "Connection", value: "keep-alive")
            } else {
                close = true
            }
        }
        if close { headers.add(name: "Connection", value: "close") }
        exchange.closeClientAfterResponse = close
        let outgoing = HTTPResponseHead(version: exchange.clientVersion, status: head.status, headers: headers)
        context.write(wrapOutboundOut(.head(outgoing)), promise: nil)
    }

    private func bodyExpected(_ head: HTTPResponseHead, _ exchange: Exchange) -> Bool {
        let code = head.status.code
        return exchange.outgoingHead.method != .HEAD && code != 204 && code != 304
    }

    private func complete(_ exchange: Exchange, trailers: HTTPHeaders?, context: ChannelHandlerContext) {
        exchange.watched = false
        exchange.event.duration = exchange.elapsedSeconds
        if exchange.recorded { record(exchange.event) }
        if let upstream = exchange.detachUpstream() {
            if exchange.upstreamKeepAlive, exchange.requestEnded {
                pool.release(upstream, for: exchange.key)
            } else {
                upstream.close()
            }
        }
        state = .idle
        let done = context.writeAndFlush(wrapOutboundOut(.end(trailers)))
        if exchange.closeClientAfterResponse {
            state = .closed
            done.assumeIsolated().whenComplete { [context] _ in context.close(promise: nil) }
        }
        resumeClientReads()
        if !exchange.closeClientAfterResponse { requestFinished(context: context, written: done) }
    }

    /// Answers the client with an error page when nothing of the response has been sent yet.
    func fail(_ exchange: Exchange, with failure: UpstreamFailure) {
        exchange.watched = false
        exchange.detachUpstream()?.close()
        exchange.event.status = Int(failure.status.code)
        exchange.event.failure = failure.reason
        exchange.event.duration = exchange.elapsedSeconds
        if exchange.recorded { record(exchange.event) }
        shared.logger.debug(
            "upstream.failed",
            metadata: ["http.host": "\(exchange.event.host)", "reason": "\(failure.reason)"]
        )
        state = .closed
        resumeClientReads()
        guard let context else { return }
        let page = ProxyResponse.errorPage(failure.status, title: failure.title, detail: failure.reason)
            .localized(for: exchange.outgoingHead.headers)
        write(page, version: exchange.clientVersion, close: true, context: context)
    }

    /// Ends an exchange that can no longer be answered (client gone, or upstream died mid-body).
    func abandon(_ exchange: Exchange, reason: String) {
        exchange.watched = false
        exchange.detachUpstream()?.close()
        exchange.event.failure = reason
        exchange.event.duration = exchange.elapsedSeconds
        if exchange.recorded { record(exchange.event) }
        state = .closed
    }

    func record(_ event: RequestEvent) {
        shared.sink.record(event)
        shared.logger.debug(
            "request",
            metadata: [
                "http.method": "\(event.method)", "http.host": "\(event.host)",
                "http.status": "\(event.status.map(String.init) ?? "-")",
                "duration.ms": "\(Int(event.duration * 1000))",
            ]
        )
    }
}
