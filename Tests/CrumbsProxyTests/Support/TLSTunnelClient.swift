import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

/// A bare TLS client through a proxy: CONNECT, then TLS (trusting only `root`), then whatever bytes
/// the test writes. For what AsyncHTTPClient cannot do, such as an upgraded connection.
final class TLSTunnelClient: Sendable {
    private let channel: Channel
    private let received: NIOLockedValueBox<String>

    private init(channel: Channel, received: NIOLockedValueBox<String>) {
        self.channel = channel
        self.received = received
    }

    static func connect(proxyPort: Int, host: String, trusting root: NIOSSLCertificate) async throws -> TLSTunnelClient
    {
        let received = NIOLockedValueBox("")
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received))
                }
            }
            .connect(host: "127.0.0.1", port: proxyPort).get()
        let client = TLSTunnelClient(channel: channel, received: received)
        try await client.write("CONNECT \(host):443 HTTP/1.1\r\nHost: \(host):443\r\n\r\n")
        guard try await client.read(untilContains: "\r\n\r\n").hasPrefix("HTTP/1.1 200") else {
            throw RawClientError("CONNECT to \(host) was refused")
        }
        received.withLockedValue { $0 = "" }
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates([root])
        let handler = try NIOSSLClientHandler(context: NIOSSLContext(configuration: tls), serverHostname: host)
        try await channel.eventLoop.submit { try channel.pipeline.syncOperations.addHandler(handler, position: .first) }
            .get()
        return client
    }

    func write(_ text: String) async throws {
        try await channel.writeAndFlush(ByteBuffer(string: text)).get()
    }

    /// Everything received so far once it contains `marker`, or what there is after `seconds`.
    func read(untilContains marker: String, seconds: Double = 5) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let text = received.withLockedValue { $0 }
            if text.contains(marker) { return text }
            try await Task.sleep(for: .milliseconds(10))
        }
        return received.withLockedValue { $0 }
    }

    func close() async {
        try? await channel.close()
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: NIOLockedValueBox<String>

        init(received: NIOLockedValueBox<String>) {
            self.received = received
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let text = String(buffer: unwrapInboundIn(data))
            received.withLockedValue { $0 += text }
        }
    }
}
