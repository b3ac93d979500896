import NIOCore

/// Sits alone in the pipeline of a client we will not serve (not on the allow list, or over a
/// connection cap): answers with one short plain response and closes.
///
/// The answer must reach the client. Closing a socket whose request was never read makes the
/// kernel send a reset, and the client then sees "connection reset" instead of the 503 and its
/// reason. So the request head is read first (or at most `patience` is waited for it), the answer
/// written, our side shut for writing, and what the client still sends is read and dropped until
/// it closes too (or `patience` runs out).
final class RefusalHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer

    private let status: String
    private let message: String
    private let patience: TimeAmount
    private var received = 0
    private var lastBytes: [UInt8] = []
    private var answered = false
    private var deadline: Scheduled<Void>?
    /// Enough for any request head a client would send before waiting for an answer.
    private static let headLimit = 64 * 1024

    init(status: String, message: String, patience: TimeAmount = .seconds(2)) {
        self.status = status
        self.message = message
        self.patience = patience
    }

    func channelActive(context: ChannelHandlerContext) {
        armDeadline(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !answered else { return }  // after the answer, only drained
        let buffer = unwrapInboundIn(data)
        received += buffer.readableBytes
        // Only the last bytes matter to find the blank line that ends the head.
        lastBytes = Array((lastBytes + buffer.readableBytesView).suffix(4))
        if lastBytes.suffix(4) == [0x0D, 0x0A, 0x0D, 0x0A] || lastBytes.suffix(2) == [0x0A, 0x0A]
            || received >= Self.headLimit
        {
            answer(context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            // The client is done sending: answer now if not yet; close once the answer is out.
            if answered { context.close(promise: nil) } else { answer(context: context) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func answer(context: ChannelHandlerContext) {
        guard !answered else { return }
        answered = true
        let body = message + "\n"
        var buffer = context.channel.allocator.buffer(capacity: 128 + body.utf8.count)
        buffer.writeString(
            "HTTP/1.1 \(status)\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
        )
        context.writeAndFlush(NIOAny(buffer), promise: nil)
        context.close(mode: .output, promise: nil)
        armDeadline(context: context)
    }

    /// Before the answer: answer anyway when the head does not come. After it: close for good.
    private func armDeadline(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: patience) { [weak self] in
            guard let self else { return }
            if self.answered { context.close(promise: nil) } else { self.answer(context: context) }
        }
    }
}
