import NIOCore

/// Sits alone in the pipeline of a client we will not serve (not on the allow list, or over the
/// connection cap): writes one short plain response and closes, without reading the request.
final class RefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let status: String
    private let message: String

    init(status: String, message: String) {
        self.status = status
        self.message = message
    }

    func channelActive(context: ChannelHandlerContext) {
        let body = message + "\n"
        var buffer = context.channel.allocator.buffer(capacity: 128 + body.utf8.count)
        buffer.writeString(
            "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        )
        context.writeAndFlush(NIOAny(buffer)).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {}
}
