import CrumbsCA
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// A local web of eight sites, plain http and https, sharing real trackers' host names (Google,
/// Meta, Microsoft, Magnite, Criteo…), served on one port of 127.0.0.1 that is also the parent
/// proxy: `CONNECT host:443` gets TLS for the host (from the world's own CA), an absolute-form
/// request is answered in the clear. Keep-alive everywhere, so the browser reuses its tunnels.
///
/// The same world is also served directly, with no proxy at all, for a browser told to resolve
/// every name to 127.0.0.1 (`--host-resolver-rules`): `httpPort` in the clear, `httpsPort` with
/// TLS whose certificate follows the client's server name (SNI).
///
/// Each page loads its first party's stylesheet, its trackers, and after `dwell` clicks (from
/// script) the next page of a fixed tour that goes within sites and across them. What the
/// world served is the truth the attribution is measured against (`truth`).
final class BrowseWorld: Sendable {
    struct Site: Sendable {
        var name: String
        var https: Bool
        /// Tracker URLs the site's pages load (scripts and pixels).
        var trackers: [String]
        /// Loaded by script 1.2 s after the page: a late tracker, or an unlisted widget host.
        var late: [String] = []
        /// Third-party hosts that are no trackers (a widget CDN no list knows), loaded at once.
        var others: [String] = []
        var origin: String { "\(https ? "https" : "http")://www.\(name)" }
    }

    static let sites: [Site] = [
        Site(
            name: "news-daily.test", https: false,
            trackers: [
                "https://www.google-analytics.com/analytics.js", "https://connect.facebook.net/en_US/fbevents.js",
                "https://pixel.rubiconproject.com/tap.php?v=1",
            ]),
        Site(
            name: "shop-online.test", https: true,
            trackers: [
                "https://www.googletagmanager.com/gtm.js?id=GTM-1", "https://www.facebook.com/tr?id=1&ev=PageView",
                "https://bat.bing.com/bat.js",
            ], others: ["https://cdn.widgets-hub.test/w.js"]),
        Site(
            name: "health-pharmacy.test", https: true,
            trackers: [
                "https://connect.facebook.net/en_US/fbevents.js", "https://www.google-analytics.com/analytics.js",
            ]),
        Site(
            name: "recipes-blog.test", https: false,
            trackers: ["https://securepubads.g.doubleclick.net/tag/js/gpt.js", "https://static.criteo.net/js/ld/ld.js"]),
        Site(
            name: "travel-guide.test", https: true,
            trackers: [
                "https://bat.bing.com/bat.js", "https://ib.adnxs.com/getuid?x",
            ], late: ["https://www.clarity.ms/tag/abc"]),
        Site(name: "quiet-notes.test", https: true, trackers: []),
        Site(
            name: "sports-live.test", https: true,
            trackers: [
                "https://pixel.rubiconproject.com/tap.php?v=1", "https://securepubads.g.doubleclick.net/tag/js/gpt.js",
                "https://www.google-analytics.com/analytics.js",
            ]),
        Site(
            name: "weather-now.test", https: false,
            trackers: ["https://bat.bing.com/bat.js", "https://www.google-analytics.com/analytics.js"]),
    ]

    /// The tour: home pages and an in-site article for some, in order; the last page ends it.
    static let tour: [String] = sites.flatMap { site -> [String] in
        let home = site.origin + "/"
        return site.name.hasPrefix("news") || site.name.hasPrefix("shop") || site.name.hasPrefix("travel")
            ? [home, site.origin + "/article"] : [home]
    }

    /// (site, tracker host) pairs the tour's pages loaded.
    static var truth: Set<Pair> {
        Set(
            sites.flatMap { site in
                (site.trackers + site.late).compactMap { URL(string: $0)?.host }.map { Pair(site: site.name, host: $0) }
            })
    }

    struct Pair: Hashable, Sendable, CustomStringConvertible {
        var site: String
        var host: String
        var description: String { "\(site) → \(host)" }
    }

    let group: MultiThreadedEventLoopGroup
    let channel: Channel
    let directChannels: [Channel]
    let authority: CertificateAuthority
    /// Paths served, in order, as `host path` (to know when the tour is over).
    let served: NIOLockedValueBox<[String]>
    var port: Int { channel.localAddress!.port! }
    /// The direct listeners: origin-form requests, the host from the Host header.
    var httpPort: Int { directChannels[0].localAddress!.port! }
    var httpsPort: Int { directChannels[1].localAddress!.port! }

    private init(
        group: MultiThreadedEventLoopGroup, channel: Channel, directChannels: [Channel],
        authority: CertificateAuthority, served: NIOLockedValueBox<[String]>
    ) {
        self.group = group
        self.channel = channel
        self.directChannels = directChannels
        self.authority = authority
        self.served = served
    }

    /// `dwell`: how long each page stays before it clicks to the next one.
    static func start(dwell: Duration = .milliseconds(2500)) async throws -> BrowseWorld {
        let authority = try CertificateAuthority.generate(
            hostName: "browse-world", now: Date().addingTimeInterval(-86_400))
        let issuer = try LeafCertificateIssuer(authority: authority)
        let contexts = TLSContexts { try issuer.certificate(for: $0) }
        let served = NIOLockedValueBox<[String]>([])
        let pages = WorldPages(dwell: dwell, served: served)
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let sync = channel.pipeline.syncOperations
                    try sync.addHandler(
                        ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)), name: "decoder")
                    try sync.addHandler(HTTPResponseEncoder(), name: "encoder")
                    try sync.addHandler(WorldHandler(pages: pages, contexts: contexts))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        var direct: [Channel] = []
        // A default certificate for the handshake's start; the callback swaps in the SNI host's.
        var tls = try TLSContexts.serverConfiguration(try issuer.certificate(for: "browse-world"))
        tls.sslContextCallback = { values, promise in
            do {
                var override = NIOSSLContextConfigurationOverride()
                let leaf = try issuer.certificate(for: values.serverHostname ?? "browse-world")
                let configuration = try TLSContexts.serverConfiguration(leaf)
                override.certificateChain = configuration.certificateChain
                override.privateKey = configuration.privateKey
                promise.succeed(override)
            } catch {
                promise.fail(error)
            }
        }
        let tlsContext = try NIOSSLContext(configuration: tls)
        for secure in [false, true] {
            direct.append(
                try await ServerBootstrap(group: group)
                    .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
                    .childChannelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            let sync = channel.pipeline.syncOperations
                            if secure { try sync.addHandler(NIOSSLServerHandler(context: tlsContext)) }
                            try sync.configureHTTPServerPipeline(withErrorHandling: true)
                            try sync.addHandler(WorldHandler(pages: pages, contexts: contexts, direct: true))
                        }
                    }
                    .bind(host: "127.0.0.1", port: 0)
                    .get())
        }
        return BrowseWorld(
            group: group, channel: channel, directChannels: direct, authority: authority, served: served)
    }

    var tourIsOver: Bool { served.withLockedValue { $0.contains { $0.hasSuffix(" /done") } } }

    func stop() async {
        try? await channel.close()
        for direct in directChannels { try? await direct.close() }
        try? await group.shutdownGracefully()
    }
}

/// What each URL of the world answers; each path served is noted in `served`.
final class WorldPages: Sendable {
    let dwell: Duration
    let served: NIOLockedValueBox<[String]>

    init(dwell: Duration, served: NIOLockedValueBox<[String]>) {
        self.dwell = dwell
        self.served = served
    }

    func respond(host: String, uri: String) -> (HTTPResponseStatus, String, String) {
        let path = uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? uri
        served.withLockedValue { $0.append("\(host) \(path)") }
        let name = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        guard let site = BrowseWorld.sites.first(where: { $0.name == name }) else {
            // A tracker or a first-party static host: a small script, pixel or stylesheet.
            let type = path.hasSuffix(".css") ? "text/css" : (path.hasSuffix(".js") ? "text/javascript" : "image/gif")
            return (.ok, type, type == "image/gif" ? "GIF89a" : "/* \(host) */")
        }
        if path == "/done" { return (.ok, "text/html", "<!doctype html><title>done</title><p>done</p>") }
        guard path == "/" || path == "/article" else { return (.notFound, "text/plain", "no such page") }
        let here = site.origin + path
        let index = BrowseWorld.tour.firstIndex(of: here) ?? 0
        let next = index + 1 < BrowseWorld.tour.count ? BrowseWorld.tour[index + 1] : "\(site.origin)/done"
        let tags = (site.trackers + site.others).map { url in
            url.hasSuffix(".js") || url.contains(".js?") || url.contains("/tag/")
                ? "<script async src=\"\(url)\"></script>" : "<img src=\"\(url)\" alt=\"\">"
        }.joined(separator: "\n")
        let milliseconds = dwell.components.seconds * 1000 + dwell.components.attoseconds / 1_000_000_000_000_000
        let body = """
            <!doctype html><html><head><title>\(site.name)\(path)</title>
            <link rel="stylesheet" href="\(site.origin.replacingOccurrences(of: "://www.", with: "://static."))/site.css">
            \(tags)
            </head><body><h1>\(site.name)</h1><a id="next" href="\(next)">next</a>
            <script>
            setTimeout(function () {
              \(site.late.map { "var s = document.createElement('script'); s.src = '\($0)'; document.head.appendChild(s);" }.joined(separator: "\n"))
            }, 1200);
            setTimeout(function () { document.getElementById("next").click(); }, \(milliseconds));
            </script>
            </body></html>
            """
        return (.ok, "text/html", body)
    }
}

/// Requests to the world. In the clear (`host` nil) a CONNECT becomes TLS for its host, and any
/// other request is plain http in absolute form; inside a tunnel every request is for `host`.
private final class WorldHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let pages: WorldPages
    private let contexts: TLSContexts
    /// The tunnel's host once TLS runs; nil on the clear connection.
    private let host: String?
    /// A direct connection (no proxy): the host comes from each request's Host header.
    private let direct: Bool
    private var head: HTTPRequestHead?

    init(pages: WorldPages, contexts: TLSContexts, host: String? = nil, direct: Bool = false) {
        self.pages = pages
        self.contexts = contexts
        self.host = host
        self.direct = direct
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            if direct {
                let authority = head.headers.first(name: "Host") ?? ""
                let host = String(authority.split(separator: ":").first ?? "")
                WorldAnswer.write(pages.respond(host: host, uri: head.uri), version: head.version, context: context)
            } else if let host {
                WorldAnswer.write(pages.respond(host: host, uri: head.uri), version: head.version, context: context)
            } else if head.method == .CONNECT {
                becomeTLS(for: String(head.uri.split(separator: ":").first ?? ""), context: context)
            } else {
                let url = URL(string: head.uri)
                let uri = (url?.path ?? "/") + (url?.query.map { "?" + $0 } ?? "")
                WorldAnswer.write(
                    pages.respond(host: url?.host ?? "", uri: uri), version: head.version, context: context)
            }
        }
    }

    private func becomeTLS(for host: String, context: ChannelHandlerContext) {
        guard let tls = try? contexts.context(for: host) else {
            context.close(promise: nil)
            return
        }
        let ok = HTTPResponseHead(version: .http1_1, status: .custom(code: 200, reasonPhrase: "Connection Established"))
        context.write(wrapOutboundOut(.head(ok)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenSuccess {
            let channel = context.channel
            let sync = channel.pipeline.syncOperations
            // The clear HTTP handlers go; TLS and a fresh HTTP server take their place.
            sync.removeHandler(name: "encoder", promise: nil)
            sync.removeHandler(name: "decoder", promise: nil)
            sync.removeHandler(context: context, promise: nil)
            do {
                try sync.addHandler(NIOSSLServerHandler(context: tls))
                try sync.configureHTTPServerPipeline(withErrorHandling: true)
                try sync.addHandler(WorldHandler(pages: self.pages, contexts: self.contexts, host: host))
            } catch {
                channel.close(promise: nil)
            }
        }
    }
}

private enum WorldAnswer {
    static func write(
        _ answer: (HTTPResponseStatus, String, String), version: HTTPVersion, context: ChannelHandlerContext
    ) {
        let (status, type, body) = answer
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: "\(body.utf8.count)")
        headers.add(name: "Cache-Control", value: "no-store")
        let head = HTTPResponseHead(version: version, status: status, headers: headers)
        context.write(NIOAny(HTTPServerResponsePart.head(head)), promise: nil)
        context.write(NIOAny(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        context.writeAndFlush(NIOAny(HTTPServerResponsePart.end(nil)), promise: nil)
    }
}
