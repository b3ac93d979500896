import CrumbsCA
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// HTTPS origins for every host name, on one port of 127.0.0.1: it accepts `CONNECT host:port` as a
/// parent proxy would, then speaks TLS for `host` with a certificate from its own test CA (so the
/// proxy under test reaches `shop.test` and `tracker.test` without DNS). Some names are broken on
/// purpose: `expired.test` has an expired certificate, `wrong.test` one for another name, and
/// `unknown.test` one from a CA nobody trusts.
///
/// Routes: `/set` sets a long-lived identifier cookie, `/sync` redirects to `sync-partner.test` with
/// the cookie's value in the query, `Upgrade: echo` switches to echoing bytes (a stand-in for a
/// WebSocket), anything else answers `hello from HOST PATH`.
final class TLSOrigin: Sendable {
    let group: MultiThreadedEventLoopGroup
    let channel: Channel
    /// The test CA that signs the good certificates: trust it with `--upstream-ca`.
    let authority: CertificateAuthority
    var port: Int { channel.localAddress!.port! }

    private init(group: MultiThreadedEventLoopGroup, channel: Channel, authority: CertificateAuthority) {
        self.group = group
        self.channel = channel
        self.authority = authority
    }

    /// `direct`: serve TLS for `127.0.0.1` straight away instead of waiting for a CONNECT, as an
    /// origin reached without a parent proxy.
    static func start(direct: Bool = false) async throws -> TLSOrigin {
        let now = Date()
        // Made two years ago (and valid for ten), so it can also sign a leaf that expired long ago.
        let longAgo = now.addingTimeInterval(-2 * 365 * 86_400)
        let authority = try CertificateAuthority.generate(hostName: "tls-origin", now: longAgo)
        let good = try LeafCertificateIssuer(authority: authority)
        let expired = try LeafCertificateIssuer(
            authority: authority, configuration: .init(validityDays: 30), now: { longAgo })
        let stranger = try LeafCertificateIssuer(
            authority: CertificateAuthority.generate(hostName: "stranger", now: now))
        let contexts = TLSContexts { host in
            switch host {
            case "expired.test": try expired.certificate(for: host)
            case "wrong.test": try good.certificate(for: "other.test")
            case "unknown.test": try stranger.certificate(for: host)
            default: try good.certificate(for: host)
            }
        }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    if direct {
                        try serveTLS(host: "127.0.0.1", context: try contexts.context(for: "127.0.0.1"), on: sync)
                        return
                    }
                    try sync.addHandler(
                        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)),
                        name: "connect-decoder")
                    try sync.addHandler(ConnectAcceptor(contexts: contexts), name: "connect-acceptor")
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        return TLSOrigin(group: group, channel: channel, authority: authority)
    }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// Server contexts by host, made on first use.
final class TLSContexts: Sendable {
    private let leaf: @Sendable (String) throws -> IssuedLeaf
    private let cache = NIOLockedValueBox<[String: NIOSSLContext]>([:])

    init(leaf: @escaping @Sendable (String) throws -> IssuedLeaf) {
        self.leaf = leaf
    }

    func context(for host: String) throws -> NIOSSLContext {
        if let cached = cache.withLockedValue({ $0[host] }) { return cached }
        let context = try NIOSSLContext(configuration: Self.serverConfiguration(try leaf(host)))
        cache.withLockedValue { $0[host] = context }
        return context
    }

    /// A server configuration presenting `issued`.
    static func serverConfiguration(_ issued: IssuedLeaf) throws -> TLSConfiguration {
        TLSConfiguration.makeServerConfiguration(
            certificateChain: try issued.chainDER.map { .certificate(try NIOSSLCertificate(bytes: $0, format: .der)) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: issued.privateKeyDER, format: .der)))
    }
}

/// Answers one CONNECT with 200, then becomes a TLS server for the named host.
private final class ConnectAcceptor: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    /// Raw bytes: an encoder would frame the 200 with a chunked body, which a CONNECT answer has not.
    typealias OutboundOut = ByteBuffer

    private let contexts: TLSContexts
    private var host: String?

    init(contexts: TLSContexts) {
        self.contexts = contexts
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            host = head.method == .CONNECT ? head.uri.split(separator: ":").first.map(String.init) : nil
        case .body:
            break
        case .end:
            guard let host, let tls = try? contexts.context(for: host) else {
                context.close(promise: nil)
                return
            }
            let ok = ByteBuffer(string: "HTTP/1.1 200 Connection Established\r\n\r\n")
            context.writeAndFlush(wrapOutboundOut(ok)).assumeIsolated().whenSuccess {
                let sync = context.pipeline.syncOperations
                sync.removeHandler(name: "connect-decoder", promise: nil)
                sync.removeHandler(context: context, promise: nil)
                do {
                    try serveTLS(host: host, context: tls, on: sync)
                } catch {
                    context.close(promise: nil)
                }
            }
        }
    }
}

private final class TLSOriginHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let host: String
    private var head: HTTPRequestHead?

    init(host: String) {
        self.host = host
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        var status = HTTPResponseStatus.ok
        var body = "hello from \(host) \(head.uri)"
        let path = head.uri.split(separator: "?").first.map(String.init) ?? head.uri
        switch path {
        case "/page.html":
            // A shop page whose tracker sets a third-party identifier, then (once loaded) syncs it.
            headers.add(name: "Content-Type", value: "text/html")
            body = """
                <!doctype html><html><head><title>shop</title></head><body>
                <img src="https://pixel.tracker.test/set" alt="">
                <p id="status">(waiting)</p>
                <script>
                window.addEventListener("load", function () {
                  var sync = new Image();
                  sync.src = "https://pixel.tracker.test/sync";
                  document.body.appendChild(sync);
                  document.getElementById("status").textContent = "(script ran)";
                });
                </script></body></html>
                """
        case "/set":
            headers.add(name: "Set-Cookie", value: "uid=\(Self.identifier); Max-Age=31536000; Secure; SameSite=None")
        case "/sync":
            // The cookie's own value goes to the partner in the query: what cookie syncing is.
            let cookies = head.headers.first(name: "cookie") ?? ""
            let uid =
                cookies.split(separator: ";").lazy.map { $0.trimmingCharacters(in: .whitespaces) }
                .first { $0.hasPrefix("uid=") }.map { String($0.dropFirst(4)) } ?? "none"
            status = .found
            headers.add(name: "Location", value: "https://sync-partner.test/match?partner_uid=\(uid)")
            body = ""
        default:
            break
        }
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        if !headers.contains(name: "content-type") { headers.add(name: "Content-Type", value: "text/plain") }
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// A random identifier, as trackers set them.
    static let identifier = UUID().uuidString.lowercased()
}

/// TLS for `host`, then HTTP (with the echo upgrade) answered by `TLSOriginHandler`.
private func serveTLS(host: String, context: NIOSSLContext, on sync: ChannelPipeline.SynchronousOperations) throws {
    try sync.addHandler(NIOSSLServerHandler(context: context))
    let upgrade: NIOHTTPServerUpgradeConfiguration = (upgraders: [EchoUpgrader()], completionHandler: { _ in })
    try sync.configureHTTPServerPipeline(withServerUpgrade: upgrade, withErrorHandling: true)
    try sync.addHandler(TLSOriginHandler(host: host))
}
