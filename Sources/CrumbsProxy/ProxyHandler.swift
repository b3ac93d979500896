import CrumbsModel
import Foundation
import NIOCore
import NIOExtras
import NIOHTTP1

/// The per-connection proxy logic: handles one request at a time (requests a client pipelines
/// behind it wait in a queue), decides where it goes, and either forwards it, opens a tunnel, or
/// answers it locally. Forwarding is in `ProxyHandler+Forwarding.swift`, tunnels in
/// `+Tunnel.swift`, the pipelining queue in `+Pipelining.swift`, timeouts in `+Timeouts.swift`.
final class ProxyHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    /// States and what may follow:
    /// - idle → forwarding, answering, switching, closed
    /// - forwarding → idle (response done), closed (error or client gone)
    /// - answering → idle, closed (when the answer asked to close)
    /// - switching → closed (the handler is removed once the tunnel is glued)
    enum State {
        case idle
        case forwarding(Exchange)
        /// Waiting for the request's end to write a local answer.
        case answering(ProxyResponse, version: HTTPVersion, close: Bool, toConnect: Bool)
        /// Becoming a tunnel; request parts are ignored.
        case switching
        case closed
    }

    let shared: ProxyContext
    let pool: UpstreamPool
    /// The address this client connected to: requests naming it are for the proxy itself.
    var localHosts: Set<String> = []
    var localAddress = HostAndPort(host: "127.0.0.1", port: 0)
    var state: State = .idle
    var context: ChannelHandlerContext?
    var clientAddress = "unknown"
    /// Why reads from the client are held back; reading resumes when no reason is left.
    var readHolds: ReadHolds = []
    var readPending = false
    var upstreamNeedsFlush = false
    /// Request parts read while another request was in progress (HTTP/1.1 pipelining).
    var pipelined = CircularBuffer<HTTPServerRequestPart>()
    var drainingPipelined = false
    /// The client half-closed its side (it sends nothing more), or the proxy is stopping.
    var clientFinishedSending = false
    /// The proxy is stopping: no new request is taken on this connection.
    var quiescing = false
    /// Completes when the last response written so far has left.
    var lastResponseWritten: EventLoopFuture<Void>?
    /// When the connection last became idle (no request in progress), for the idle timeout.
    var idleSince = NIODeadline.now()
    /// Closes the connection once idle for `idleTimeout`; see `LazyDeadline`.
    var idleDeadline: LazyDeadline?
    /// Fails an exchange whose upstream is silent for `upstreamTimeout`.
    var upstreamDeadline: LazyDeadline?
    /// Set on a connection decrypted from a CONNECT tunnel: the origin its requests are for.
    let interceptedOrigin: HostAndPort?

    init(shared: ProxyContext, pool: UpstreamPool, interceptedOrigin: HostAndPort? = nil) {
        self.shared = shared
        self.pool = pool
        self.interceptedOrigin = interceptedOrigin
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        startDeadlines(on: context.eventLoop)
        if let ip = context.channel.remoteAddress?.ipAddress { clientAddress = ip }
        if let local = context.channel.localAddress, let ip = local.ipAddress, let port = local.port {
            localAddress = HostAndPort(host: ip, port: port)
            localHosts = ProxyContext.localHosts(for: local)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        stopDeadlines()
    }

    // MARK: inbound

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if mustWait(part) {
            queueBehindCurrentRequest(part)
        } else {
            handle(part, context: context)
        }
    }

    /// One request part, in order; the queue hands pipelined parts here too.
    func handle(_ part: HTTPServerRequestPart, context: ChannelHandlerContext) {
        switch part {
        case .head(let head):
            guard case .idle = state else { return }
            guard !quiescing else {
                // Stopping: a request that starts now is not taken (the listener is closed, so
                // the client learns it from the closed connection, as from any server restart).
                state = .closed
                context.close(promise: nil)
                return
            }
            route(head, context: context)
        case .body(let body):
            if case .forwarding(let exchange) = state { forwardRequestBody(body, exchange: exchange) }
        case .end(let trailers):
            switch state {
            case .forwarding(let exchange):
                finishRequest(trailers, exchange: exchange)
            case .answering(let response, let version, let close, let toConnect):
                state = close ? .closed : .idle
                var written: EventLoopFuture<Void>?
                if toConnect {
                    writeAnswerToConnect(response, version: version, context: context)
                } else {
                    written = write(response, version: version, close: close, context: context)
                }
                if !close { requestFinished(context: context, written: written) }
            case .idle, .switching, .closed:
                break
            }
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if upstreamNeedsFlush, case .forwarding(let exchange) = state {
            upstreamNeedsFlush = false
            exchange.upstream?.flush()
        }
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        if case .forwarding(let exchange) = state {
            abandon(exchange, reason: "client closed the connection")
        }
        state = .closed
        pipelined.removeAll()
        stopDeadlines()
        context.fireChannelInactive()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable, case .forwarding(let exchange) = state {
            exchange.upstream?.resumeReading()
            armUpstreamTimer(exchange)
        }
        context.fireChannelWritabilityChanged()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            // The client has sent all it will send: answer what it asked, then close.
            clientFinishedSending = true
            closeIfClientIsDone(context: context)
        } else if event is ChannelShouldQuiesceEvent {
            quiesce(context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        shared.logger.debug("client.error", metadata: ["client": "\(clientAddress)", "error": "\(error)"])
        if let parserError = error as? HTTPParserError, case .forwarding(let exchange) = state {
            // The head went upstream, then the rest of the request turned out malformed (a bad
            // chunk size, say). ProxyProtocolErrorHandler has answered 400 unless the response
            // had begun; the event says so, instead of blaming the client for closing.
            if !exchange.responseStarted { exchange.event.status = 400 }
            abandon(exchange, reason: "malformed request from the client: \(parserError)")
        }
        context.close(promise: nil)
    }

    // MARK: reading control (back-pressure)

    func read(context: ChannelHandlerContext) {
        if readHolds.isEmpty {
            context.read()
        } else {
            readPending = true
        }
    }

    /// While connecting upstream, or while the upstream cannot take more of the request body.
    func pauseClientReads() {
        holdReads(.upstream)
    }

    func resumeClientReads() {
        releaseReads(.upstream)
    }

    func holdReads(_ reason: ReadHolds) {
        readHolds.insert(reason)
    }

    func releaseReads(_ reason: ReadHolds) {
        guard readHolds.remove(reason) != nil, readHolds.isEmpty, readPending, let context else { return }
        readPending = false
        context.read()
    }

    // MARK: routing

    private func route(_ head: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive
        if let origin = interceptedOrigin {
            routeIntercepted(head, origin: origin, context: context)
            return
        }
        switch RequestTarget(method: head.method.rawValue, uri: head.uri) {
        case .invalid(let reason):
            answer(.errorPage(.badRequest, title: "Bad Request", detail: reason), head: head, close: true)
        case .origin(let path):
            guard hostHeaderNamesProxy(head.headers) else {
                // DNS rebinding: a page on another site whose name now resolves to this machine
                // would read the status page. Browsers always send the name they used.
                return answer(
                    .errorPage(
                        .forbidden, title: "Forbidden",
                        detail: "This is a Crumbs proxy; it answers pages only under its own names "
                            + "(the address it listens on, localhost, \(LocalPages.internalHost))."),
                    head: head, close: true)
            }
            answer(
                shared.pages.response(for: path, proxyAddress: localAddress.description), head: head, close: !keepAlive)
        case .connect(let target):
            if let refusal = refusal(for: target, head: head, isConnect: true) {
                answer(refusal, head: head, close: true)
            } else if let tls = shared.tls,
                tls.shouldIntercept(
                    target.host, client: clientAddress, userAgent: head.headers.first(name: "user-agent"))
            {
                intercept(target, head: head, tls: tls, context: context)
            } else {
                openTunnel(to: target, head: head, context: context)
            }
        case .absolute(_, let target, let pathAndQuery):
            if target.host == LocalPages.internalHost {
                if let port = shared.configuration.dashboardPort, !CAInstallPage.serves(pathAndQuery) {
                    forwardToDashboard(port: port, pathAndQuery: pathAndQuery, head: head, context: context)
                } else {
                    answer(
                        shared.pages.caPage.response(for: pathAndQuery, trust: trustStatus(head)), head: head,
                        close: !keepAlive)
                }
            } else if isProxyItself(target) {
                answer(
                    shared.pages.response(for: pathAndQuery, proxyAddress: localAddress.description), head: head,
                    close: !keepAlive)
            } else if let refusal = refusal(for: target, head: head, isConnect: false) {
                answer(refusal, head: head, close: true)
            } else if HopByHopHeaders.isUpgradeRequest(head.headers) {
                openUpgrade(to: target, pathAndQuery: pathAndQuery, head: head, context: context)
            } else {
                startExchange(target: target, pathAndQuery: pathAndQuery, head: head, context: context)
            }
        }
    }

    /// Requests that must not be forwarded: loops, and tunnels to ports not allowed.
    func refusal(for target: HostAndPort, head: HTTPRequestHead, isConnect: Bool) -> ProxyResponse? {
        if isConnect, target.host == LocalPages.internalHost, shared.tls != nil {
            return nil  // decrypted and answered by the proxy itself
        }
        if HopByHopHeaders.hasLoop(head.headers, token: shared.configuration.viaToken)
            || (isConnect && (isProxyItself(target) || target.host == LocalPages.internalHost))
        {
            return .errorPage(
                .loopDetected,
                title: "Loop Detected",
                detail: "This request has already passed through this proxy; refusing to forward it again."
            )
        }
        if !isConnect, interceptedOrigin == nil,
            !SafePorts.allowsHTTP(target.port, extra: shared.configuration.extraHTTPPorts)
        {
            return .errorPage(
                .forbidden,
                title: "Forbidden",
                detail: "Forwarding plain HTTP to port \(target.port) is not allowed (allowed: "
                    + "\(SafePorts.httpDescription)); the person running Crumbs can allow it with --http-port."
            )
        }
        if isConnect, !shared.configuration.connectPorts.contains(target.port) {
            let allowed = shared.configuration.connectPorts.sorted().map(String.init).joined(separator: ", ")
            return .errorPage(
                .forbidden,
                title: "Forbidden",
                detail: "CONNECT to port \(target.port) is not allowed (allowed: \(allowed))."
            )
        }
        return nil
    }

    /// Whether the Host header of a request for the proxy's own pages names the proxy. A request
    /// without one (HTTP/1.0, a script) is not from a browser and cannot be a rebinding attack.
    private func hostHeaderNamesProxy(_ headers: HTTPHeaders) -> Bool {
        guard let value = headers.first(name: "host") else { return true }
        guard let named = HostAndPort(authority: value, defaultPort: 80) else { return false }
        return localHosts.contains(named.host) || named.host == LocalPages.internalHost
            || shared.configuration.ownNames.contains(named.host)
    }

    private func isProxyItself(_ target: HostAndPort) -> Bool {
        target.port == localAddress.port && localHosts.contains(target.host)
    }

    /// Answers locally once the request has been read to its end.
    func answer(_ response: ProxyResponse, head: HTTPRequestHead, close: Bool) {
        state = .answering(
            response.localized(for: head.headers), version: head.version, close: close,
            toConnect: head.method == .CONNECT)
    }

    /// Writes below the HTTP encoder (see `ProxyResponse.serialized`) and closes.
    func writeAnswerToConnect(_ response: ProxyResponse, version: HTTPVersion, context: ChannelHandlerContext) {
        let bytes = response.serialized(version: version, allocator: context.channel.allocator)
        guard let encoder = try? context.pipeline.syncOperations.context(handlerType: HTTPResponseEncoder.self) else {
            context.close(promise: nil)
            return
        }
        encoder.writeAndFlush(NIOAny(bytes)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    /// Writes a local answer; the future completes when its last part has been written.
    @discardableResult
    func write(_ response: ProxyResponse, version: HTTPVersion, close: Bool, context: ChannelHandlerContext)
        -> EventLoopFuture<Void>
    {
        let parts = response.parts(version: version, close: close, allocator: context.channel.allocator)
        for part in parts.dropLast() { context.write(wrapOutboundOut(part), promise: nil) }
        let done = context.writeAndFlush(wrapOutboundOut(parts[parts.count - 1]))
        if close {
            done.assumeIsolated().whenComplete { [context] _ in context.close(promise: nil) }
        }
        return done
    }
}
