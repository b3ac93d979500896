import NIOCore
import NIOHTTP1

/// What an upstream connection reports to the exchange that is using it.
protocol UpstreamReceiver: AnyObject {
    func upstream(_ upstream: UpstreamHandler, received part: HTTPClientResponsePart)
    func upstream(_ upstream: UpstreamHandler, closedWith error: Error?)
    func upstreamReadComplete(_ upstream: UpstreamHandler)
    func upstreamWritabilityChanged(_ upstream: UpstreamHandler)
}

/// Last handler of an upstream (proxy → origin) connection. Hands response parts to the current
/// receiver, holds reads back while the client cannot take more (back-pressure), and, while the
/// connection sits idle in the pool, closes it on the pool's idle timeout (a `LazyDeadline`
/// rather than an `IdleStateHandler`, which costs a promise per write).
final class UpstreamHandler: ChannelDuplexHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundIn = HTTPClientRequestPart
    typealias OutboundOut = HTTPClientRequestPart

    weak var receiver: UpstreamReceiver?
    private(set) var context: ChannelHandlerContext?
    private var readingPaused = false
    private var readPending = false
    private var closed = false
    /// Called once when the channel closes, so the pool can forget it.
    var onClose: (() -> Void)?
    private var pooledSince = NIODeadline.now()
    private var poolTimeout = TimeAmount.zero
    private var poolDeadline: LazyDeadline?

    var channel: Channel? { context?.channel }
    var isWritable: Bool { context?.channel.isWritable ?? false }
    var isUsable: Bool { !closed && (context?.channel.isActive ?? false) }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        poolDeadline = LazyDeadline(on: context.eventLoop) { [weak self] in self?.checkPooledIdle() }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        poolDeadline?.cancel()
    }

    /// The connection waits in the pool from now: closed if no exchange takes it within `timeout`.
    func parkInPool(timeout: TimeAmount) {
        receiver = nil
        pooledSince = .now()
        poolTimeout = timeout
        poolDeadline?.ensure(within: timeout)
    }

    private func checkPooledIdle() -> TimeAmount? {
        guard receiver == nil, !closed else { return nil }  // in use: checked again when parked
        if let left = LazyDeadline.timeLeft(since: pooledSince, timeout: poolTimeout) { return left }
        close()
        return nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let part = unwrapInboundIn(data)
        if let receiver {
            receiver.upstream(self, received: part)
        } else {
            // Bytes on an idle pooled connection: the server broke the protocol; drop the connection.
            context.close(promise: nil)
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        receiver?.upstreamReadComplete(self)
        context.fireChannelReadComplete()
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(error: nil)
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(error: error)
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        receiver?.upstreamWritabilityChanged(self)
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if readingPaused {
            readPending = true
        } else {
            context.read()
        }
    }

    func pauseReading() {
        readingPaused = true
    }

    func resumeReading() {
        guard readingPaused else { return }
        readingPaused = false
        if readPending, let context {
            readPending = false
            context.read()
        }
    }

    func send(_ part: HTTPClientRequestPart, flush: Bool) {
        guard let context else { return }
        context.write(wrapOutboundOut(part), promise: nil)
        if flush { context.flush() }
    }

    func flush() {
        context?.flush()
    }

    func close() {
        context?.close(promise: nil)
    }

    private func finish(error: Error?) {
        guard !closed else { return }
        closed = true
        poolDeadline?.cancel()
        let receiver = self.receiver
        self.receiver = nil
        onClose?()
        onClose = nil
        receiver?.upstream(self, closedWith: error)
    }
}
