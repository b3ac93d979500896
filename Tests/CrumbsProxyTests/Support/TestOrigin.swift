import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOHTTP1
import NIOPosix

/// A real HTTP origin on 127.0.0.1 that answers for every host name. Routes by path:
/// `/hello` sets a cookie, `/echo` describes the request it got, `/bytes/N` streams N bytes with
/// back-pressure, `/not-modified` answers 304, `/silent` never answers, `/close-delimited`
/// ends its body by closing, `/upgrade` switches to an echo protocol.
final class TestOrigin: Sendable {
    let group: MultiThreadedEventLoopGroup
    let channel: Channel
    private let accepted: NIOLockedValueBox<Int>
    var port: Int { channel.localAddress!.port! }
    /// How many connections the origin has accepted (to see upstream keep-alive at work).
    var acceptedConnections: Int { accepted.withLockedValue { $0 } }

    private init(group: MultiThreadedEventLoopGroup, channel: Channel, accepted: NIOLockedValueBox<Int>) {
        self.group = group
        self.channel = channel
        self.accepted = accepted
    }

    static func start(host: String = "127.0.0.1") async throws -> TestOrigin {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let accepted = NIOLockedValueBox(0)
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                accepted.withLockedValue { $0 += 1 }
                return channel.eventLoop.makeCompletedFuture {
                    let origin = OriginHandler()
                    let upgrade: NIOHTTPServerUpgradeConfiguration = (
                        upgraders: [EchoUpgrader()],
                        completionHandler: { _ in }
                    )
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: upgrade, withErrorHandling: true
                    )
                    try channel.pipeline.syncOperations.addHandler(origin)
                }
            }
            .bind(host: host, port: 0)
            .get()
        return TestOrigin(group: group, channel: channel, accepted: accepted)
    }

    func stop() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

private final class OriginHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private var head: HTTPRequestHead?
    private var body = ""
    private var remaining = 0
    private var chunk: ByteBuffer?
    private var streaming = false

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = ""
        case .body(var buffer):
            body += buffer.readString(length: buffer.readableBytes) ?? ""
        case .end:
            guard let head else { return }
            respond(to: head, context: context)
        }
    }

    private func respond(to head: HTTPRequestHead, context: ChannelHandlerContext) {
        let path = pathOf(head.uri)
        switch path {
        case "/hello":
            send(
                context, .ok, "hello",
                headers: [
                    (
                        "Set-Cookie",
                        "tracker_id=SECRET-VALUE-1234567890; Max-Age=31536000; Path=/; SameSite=None; Secure"
                    )
                ])
        case "/echo":
            var text = "\(head.method.rawValue) \(head.uri) HTTP/\(head.version.major).\(head.version.minor)\n"
            for (name, value) in head.headers { text += "\(name.lowercased()): \(value)\n" }
            text += "\n" + body
            send(context, .ok, text)
        case "/not-modified":
            send(context, .notModified, nil, headers: [("ETag", "\"v1\"")])
        case "/no-content":
            send(context, .noContent, nil)
        case "/silent":
            break
        case "/drip":
            drip(chunksLeft: 4, context: context)
        case "/close-delimited":
            // An HTTP/1.0 response without a length: the body ends when the connection closes.
            let head = HTTPResponseHead(version: .http1_0, status: .ok, headers: ["Content-Type": "text/plain"])
            context.write(wrapOutboundOut(.head(head)), promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: 16)
            buffer.writeString("until the end")
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
                context.close(promise: nil)
            }
        case "/page.html":
            // A page whose subresources come from several other sites, for the browser test.
            let page = """
                <!doctype html><html><head><title>Crumbs test page</title>
                <link rel="stylesheet" href="http://static.news.example/style.css">
                <script src="http://analytics.tracker-two.example/script.js"></script></head>
                <body><h1>News</h1><img src="http://cdn.tracker-one.example/pixel.gif" alt=""></body></html>
                """
            send(context, .ok, page, contentType: "text/html; charset=utf-8")
        case let path where path.hasSuffix(".css"):
            send(context, .ok, "h1 { color: teal }", contentType: "text/css")
        case let path where path.hasSuffix(".js"):
            send(context, .ok, "document.title += ' (script ran)';", contentType: "application/javascript")
        case let path where path.hasSuffix(".gif"):
            send(context, .ok, "GIF89a", contentType: "image/gif", headers: [("Set-Cookie", "px=1; Max-Age=600")])
        case let path where path.hasPrefix("/bytes/"):
            stream(bytes: Int(path.dropFirst(7)) ?? 0, context: context)
        default:
            send(context, .notFound, "no such path \(path)")
        }
    }

    private func pathOf(_ uri: String) -> String {
        var rest = Substring(uri)
        if let scheme = rest.range(of: "://") {
            rest = rest[scheme.upperBound...]
            rest = rest[(rest.firstIndex(of: "/") ?? rest.endIndex)...]
        }
        return String(rest.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "")
    }

    private func send(
        _ context: ChannelHandlerContext, _ status: HTTPResponseStatus, _ text: String?,
        contentType: String = "text/plain; charset=utf-8", headers: [(String, String)] = []
    ) {
        var responseHeaders = HTTPHeaders(headers)
        if let text { responseHeaders.add(name: "Content-Length", value: String(text.utf8.count)) }
        responseHeaders.add(name: "Content-Type", value: contentType)
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: responseHeaders))),
            promise: nil)
        if let text, !text.isEmpty {
            var buffer = context.channel.allocator.buffer(capacity: text.utf8.count)
            buffer.writeString(text)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if head.map({ !$0.isKeepAlive }) ?? false {
            done.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// A chunked response that sends one chunk every 400 ms: slow, but never silent for a second.
    private func drip(chunksLeft: Int, context: ChannelHandlerContext) {
        if chunksLeft == 4 {
            let head = HTTPResponseHead(version: .http1_1, status: .ok, headers: ["Transfer-Encoding": "chunked"])
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
        }
        guard chunksLeft > 0 else {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            return
        }
        context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(400)) {
            var buffer = context.channel.allocator.buffer(capacity: 8)
            buffer.writeString("drop\(chunksLeft);")
            context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            self.drip(chunksLeft: chunksLeft - 1, context: context)
        }
    }

    private func stream(bytes: Int, context: ChannelHandlerContext) {
        let headers = HTTPHeaders([("Content-Length", String(bytes)), ("Content-Type", "application/octet-stream")])
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: .ok, headers: headers))), promise: nil)
        var buffer = context.channel.allocator.buffer(capacity: 65536)
        buffer.writeRepeatingByte(0x61, count: 65536)
        chunk = buffer
        remaining = bytes
        streaming = true
        pump(context)
    }

    private func pump(_ context: ChannelHandlerContext) {
        guard streaming, let chunk else { return }
        while remaining > 0 && context.channel.isWritable {
            let size = min(remaining, chunk.readableBytes)
            remaining -= size
            context.write(
                wrapOutboundOut(.body(.byteBuffer(chunk.getSlice(at: chunk.readerIndex, length: size)!))), promise: nil)
        }
        if remaining == 0 {
            streaming = false
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            context.flush()
        }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { pump(context) }
        context.fireChannelWritabilityChanged()
    }
}

/// Upgrades `Upgrade: echo` requests to a protocol that sends back every byte it receives,
/// standing in for WebSocket.
final class EchoUpgrader: HTTPServerProtocolUpgrader, Sendable {
    let supportedProtocol = "echo"
    let requiredUpgradeHeaders: [String] = []

    func buildUpgradeResponse(
        channel: Channel, upgradeRequest: HTTPRequestHead, initialResponseHeaders: HTTPHeaders
    ) -> EventLoopFuture<HTTPHeaders> {
        channel.eventLoop.makeSucceededFuture(initialResponseHeaders)
    }

    func upgrade(context: ChannelHandlerContext, upgradeRequest: HTTPRequestHead) -> EventLoopFuture<Void> {
        // Right after the upgrade handler, so the HTTP handler behind it never sees raw bytes.
        context.eventLoop.makeCompletedFuture {
            try context.pipeline.syncOperations.addHandler(EchoHandler(), position: .after(context.handler))
        }
    }
}

final class EchoHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.writeAndFlush(data, promise: nil)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // The client finished: finish too (the channel may allow half-closure).
        if case .some(.inputClosed) = event as? ChannelEvent { context.close(promise: nil) }
    }
}
