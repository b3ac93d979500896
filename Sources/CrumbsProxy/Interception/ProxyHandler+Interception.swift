import CrumbsModel
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import NIOTLS

/// `--intercept`: a CONNECT is answered with 200 and then the client's TLS is terminated here with
/// a leaf for the host, signed by the local CA. The connection gets a fresh HTTP pipeline whose
/// requests all go to the CONNECT target over TLS, so they become full events (path, Referer,
/// cookies) instead of one opaque tunnel.
extension ProxyHandler {
    func intercept(_ target: HostAndPort, head: HTTPRequestHead, tls: InterceptionTLS, context: ChannelHandlerContext) {
        let serverContext: NIOSSLContext
        do {
            serverContext = try tls.serverContext(for: target.host)
        } catch {
            // A name no certificate may carry (the issuer refuses it): tunnel, don't break the site.
            shared.logger.info("intercept.skipped", metadata: ["http.host": "\(target.host)", "error": "\(error)"])
            openTunnel(to: target, head: head, context: context)
            return
        }
        state = .switching
        pauseClientReads()
        let established = HTTPResponseHead(
            version: head.version, status: .custom(code: 200, reasonPhrase: "Connection Established"))
        context.write(wrapOutboundOut(.head(established)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            // On the next tick: the flush can complete inside the decoder's read loop, and the
            // codec must not be swapped out while it is still handing out the CONNECT's parts.
            context.eventLoop.assumeIsolated().execute {
                self.becomeIntercepted(
                    target, serverContext: serverContext, tls: tls, userAgent: head.headers.first(name: "user-agent"))
            }
        }
    }

    /// Replaces this handler and the HTTP codec with TLS, then a new codec and handler for `target`.
    /// `userAgent`: the CONNECT's, which names the browser in the trust registry.
    private func becomeIntercepted(
        _ target: HostAndPort, serverContext: NIOSSLContext, tls: InterceptionTLS, userAgent: String?
    ) {
        guard let context, context.channel.isActive else { return }
        let channel = context.channel
        let sync = context.pipeline.syncOperations
        let watcher = ClientHandshakeWatcher(
            timeout: shared.configuration.idleTimeout,
            onSuccess: { [clientAddress] in
                // A completed handshake with our leaf: this browser trusts the Crumbs CA.
                tls.trust.record(.trusted, client: clientAddress, userAgent: userAgent)
            },
            onFailure: { [shared, clientAddress] error in
                Self.clientHandshakeFailed(
                    error, target: target, client: clientAddress, userAgent: userAgent, tls: tls, shared: shared)
            })
        do {
            state = .closed
            sync.removeHandler(context: context, promise: nil)
            try ProxyPipeline.removeHTTPHandlers(from: sync)
            try ProxyPipeline.configure(
                channel, shared: shared, pool: pool,
                intercepted: ([NIOSSLServerHandler(context: serverContext), watcher], target))
            // Reads held back while switching start again, now through TLS.
            channel.read()
        } catch {
            shared.logger.error("intercept.setup-failed", metadata: ["error": "\(error)"])
            channel.close(promise: nil)
        }
    }

    /// The client gave up on our certificate (or sent garbage). A client that refused the
    /// certificate — certificate pinning, or the CA not installed — gets the host passed through as
    /// a plain tunnel for a while instead of failing again on every request.
    private static func clientHandshakeFailed(
        _ error: Error, target: HostAndPort, client: String, userAgent: String?, tls: InterceptionTLS,
        shared: ProxyContext
    ) {
        let description = "\(error)"
        if target.host == LocalPages.internalHost {
            // The trust check failed: this browser does not trust the CA (yet). Nothing to record
            // as traffic, and nothing to pass through: the check is asked again on each visit.
            if ClientCertificateRejection.isRejection(description) {
                tls.trust.record(
                    .notTrusted(reason: String(description.prefix(160))), client: client, userAgent: userAgent)
            }
            return
        }
        var event = shared.events.tunnelEvent(target: target, client: client, time: Date())
        if ClientCertificateRejection.isRejection(description) {
            tls.rejectedHosts.remember(target.host, client: client)
            let minutes = tls.settings.rejectedHostPassThrough.nanoseconds / 60_000_000_000
            event.failure =
                "client rejected the interception certificate (pinned, or the Crumbs CA is not installed); "
                + "tunnelled without interception for \(minutes) min"
            shared.logger.info(
                "intercept.rejected", metadata: ["http.host": "\(target.host)", "passthrough.minutes": "\(minutes)"])
        } else if let timeout = error as? PhaseTimeout {
            event.failure = timeout.description
        } else {
            event.failure = "TLS handshake with the client failed: \(description.prefix(160))"
        }
        shared.sink.record(event)
    }
}

/// Sits behind the client-side `NIOSSLServerHandler` until the handshake is over and reports a
/// failed handshake once; then leaves the pipeline. A client that does not finish the handshake
/// within `timeout` is reported (`PhaseTimeout`) and closed.
final class ClientHandshakeWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let onSuccess: () -> Void
    private let onFailure: (Error) -> Void
    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var done = false

    init(timeout: TimeAmount, onSuccess: @escaping () -> Void = {}, onFailure: @escaping (Error) -> Void) {
        self.timeout = timeout
        self.onSuccess = onSuccess
        self.onFailure = onFailure
    }

    func handlerAdded(context: ChannelHandlerContext) {
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self else { return }
            self.errorCaught(context: context, error: PhaseTimeout(phase: .clientTLSHandshake, timeout: self.timeout))
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            done = true
            deadline?.cancel()
            onSuccess()
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard !done else { return context.fireErrorCaught(error) }
        done = true
        onFailure(error)
        context.close(promise: nil)
    }
}

extension ProxyHandler {
    /// What is known of this browser's trust in the CA, for the page at crumbs.internal.
    func trustStatus(_ head: HTTPRequestHead) -> TrustCheck.Status {
        guard let tls = shared.tls else { return .notDecrypting }
        let mode = tls.settings.mode
        switch tls.trust.verdict(client: clientAddress, userAgent: head.headers.first(name: "user-agent")) {
        case .trusted: return .trusted(mode: mode)
        case .notTrusted: return .notTrusted(mode: mode)
        case nil: return .unknown(mode: mode)
        }
    }

    /// Requests inside a decrypted tunnel: origin form, all for the tunnel's origin.
    func routeIntercepted(_ head: HTTPRequestHead, origin: HostAndPort, context: ChannelHandlerContext) {
        let keepAlive = head.isKeepAlive
        let pathAndQuery: String
        switch RequestTarget(method: head.method.rawValue, uri: head.uri) {
        case .origin(let path):
            pathAndQuery = path
        case .absolute(_, let target, let path) where target.host == origin.host:
            pathAndQuery = path
        case .invalid(let reason):
            return answer(.errorPage(.badRequest, title: "Bad Request", detail: reason), head: head, close: true)
        case .absolute, .connect:
            return answer(
                .errorPage(
                    .badRequest, title: "Bad Request",
                    detail: "Inside the tunnel to \(origin.host) only requests for that host are allowed."),
                head: head, close: true)
        }
        if origin.host == LocalPages.internalHost {
            return answer(
                shared.pages.caPage.response(for: pathAndQuery, trust: trustStatus(head)), head: head,
                close: !keepAlive)
        }
        if let refusal = refusal(for: origin, head: head, isConnect: false) {
            return answer(refusal, head: head, close: true)
        }
        if HopByHopHeaders.isUpgradeRequest(head.headers), let tls = shared.tls {
            return openUpgrade(to: origin, pathAndQuery: pathAndQuery, head: head, tls: tls, context: context)
        }
        startExchange(target: origin, pathAndQuery: pathAndQuery, head: head, tls: true, context: context)
    }
}
