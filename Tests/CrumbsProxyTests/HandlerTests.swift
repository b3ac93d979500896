import CrumbsIngest
import CrumbsLists
import CrumbsModel
import Foundation
import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import Testing

@testable import CrumbsProxy

/// The client pipeline on an `EmbeddedChannel`: bytes in, bytes out, no sockets.
struct HandlerTests {
    private func makeChannel(_ configure: (inout ProxyConfiguration) -> Void = { _ in }) throws -> EmbeddedChannel {
        var configuration = ProxyConfiguration()
        configure(&configuration)
        let statistics = ProxyStatistics()
        let shared = ProxyContext(
            configuration: configuration,
            events: EventBuilder(
                siteResolver: PublicSuffixList.builtIn, keepQuery: false, hasher: CookieHasher(secret: Data(count: 32))),
            sink: CollectingSink(),
            statistics: statistics,
            pages: LocalPages(statistics: statistics, startedAt: Date()),
            logger: Logger(label: "test"),
            tls: nil
        )
        let channel = EmbeddedChannel()
        let pool = UpstreamPool(eventLoop: channel.eventLoop, maxIdlePerHost: 1, connectTimeout: .seconds(1))
        try ProxyPipeline.configure(channel, shared: shared, pool: pool)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 50_000)).wait()
        #expect(channel.isActive)
        return channel
    }

    private func exchange(_ request: String, on channel: EmbeddedChannel) throws -> String {
        try channel.writeInbound(ByteBuffer(string: request))
        var output = ""
        while var buffer = try channel.readOutbound(as: ByteBuffer.self) {
            output += buffer.readString(length: buffer.readableBytes) ?? ""
        }
        return output
    }

    @Test func garbageGets400AndTheConnectionCloses() throws {
        let channel = try makeChannel()
        let response = try exchange("NOT HTTP AT ALL\r\n\r\n", on: channel)
        #expect(response.hasPrefix("HTTP/1.1 400 Bad Request"))
        #expect(!channel.isActive)
    }

    @Test func headBeyondTheLimitGets431() throws {
        let channel = try makeChannel { $0.maxRequestHeadBytes = 1024 }
        let response = try exchange(
            "GET http://example.com/ HTTP/1.1\r\nX-Big: \(String(repeating: "x", count: 2000))\r\n\r\n", on: channel)
        #expect(response.hasPrefix("HTTP/1.1 431"))
    }

    @Test func pacFileIsServedLocallyAndTheConnectionStaysOpen() throws {
        let channel = try makeChannel()
        let response = try exchange("GET /proxy.pac HTTP/1.1\r\nHost: crumbs.internal\r\n\r\n", on: channel)
        #expect(response.hasPrefix("HTTP/1.1 200 OK"))
        #expect(response.contains("function FindProxyForURL"))
        #expect(channel.isActive)
        let status = try exchange("GET / HTTP/1.1\r\nHost: crumbs.internal\r\n\r\n", on: channel)
        #expect(status.contains("Crumbs is running"))
        _ = try? channel.finish()
    }

    @Test func unknownLocalPathGets404() throws {
        let channel = try makeChannel()
        #expect(
            try exchange("GET /nope HTTP/1.1\r\nHost: crumbs.internal\r\n\r\n", on: channel).hasPrefix("HTTP/1.1 404"))
        _ = try? channel.finish()
    }

    @Test func connectToAForbiddenPortGets403WithAReadableBody() throws {
        let channel = try makeChannel()
        let response = try exchange("CONNECT mail.example:25 HTTP/1.1\r\n\r\n", on: channel)
        #expect(response.hasPrefix("HTTP/1.1 403 Forbidden"))
        #expect(response.contains("CONNECT to port 25 is not allowed (allowed: 80, 443)"))
    }

    @Test func requestWithOurViaTokenGets508() throws {
        let channel = try makeChannel { $0.viaToken = "crumbs-test" }
        let response = try exchange("GET http://example.com/ HTTP/1.1\r\nVia: 1.1 crumbs-test\r\n\r\n", on: channel)
        #expect(response.hasPrefix("HTTP/1.1 508 Loop Detected"))
    }

    @Test func refusalHandlerReadsTheHeadThenAnswersAndCloses() throws {
        let channel = EmbeddedChannel(handler: RefusalHandler(status: "403 Forbidden", message: "no"))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 50_000)).wait()
        try channel.writeInbound(ByteBuffer(string: "GET http://example.com/ HTTP/1.1\r\nHost: exa"))
        #expect(try channel.readOutbound(as: ByteBuffer.self) == nil, "answered before the head was read")
        try channel.writeInbound(ByteBuffer(string: "mple.com\r\n\r\n"))
        let buffer = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: buffer).hasPrefix("HTTP/1.1 403 Forbidden"))
        // Our side is shut for writing; the client's end of input closes the connection.
        channel.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(!channel.isActive)
    }

    @Test func refusalHandlerAnswersAClientThatSaysNothing() throws {
        let loop = EmbeddedEventLoop()
        let channel = EmbeddedChannel(
            handler: RefusalHandler(status: "503 Service Unavailable", message: "full", patience: .seconds(2)),
            loop: loop)
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 50_000)).wait()
        loop.advanceTime(by: .seconds(2))
        let buffer = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(String(buffer: buffer).hasPrefix("HTTP/1.1 503"))
        loop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }
}
