import NIOCore
import NIOExtras

/// One side of a byte tunnel (CONNECT, or an upgraded WebSocket). Two glues are paired: what one
/// reads the other writes. A side reads only while its partner can write (back-pressure), and a
/// half-close on one side is passed on as a half-close on the other. The client side closes the
/// tunnel once no byte went either way for the idle timeout (a `LazyDeadline` on the shared
/// `TunnelRecord`: an `IdleStateHandler` on each side cost a promise per write).
final class TunnelGlue: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private var partner: TunnelGlue?
    private var context: ChannelHandlerContext?
    private var pendingRead = false
    private let observe: (ByteBuffer) -> Void
    private let onInactive: () -> Void
    /// On the client side only: the tunnel's record and how long it may carry nothing.
    private let record: TunnelRecord?
    private var idleTimeout: TimeAmount
    private var idleDeadline: LazyDeadline?
    /// When the proxy stops, the longest a busy tunnel is kept.
    private let shutdownGrace: TimeAmount

    private init(
        observe: @escaping (ByteBuffer) -> Void, onInactive: @escaping () -> Void,
        record: TunnelRecord? = nil, idleTimeout: TimeAmount = .zero, shutdownGrace: TimeAmount = .zero
    ) {
        self.observe = observe
        self.onInactive = onInactive
        self.record = record
        self.idleTimeout = idleTimeout
        self.shutdownGrace = shutdownGrace
    }

    /// A connected pair: `client` goes on the client's channel, `server` on the upstream one.
    static func pair(tunnel: TunnelRecord, idleTimeout: TimeAmount, shutdownGrace: TimeAmount) -> (
        client: TunnelGlue, server: TunnelGlue
    ) {
        let client = TunnelGlue(
            observe: { tunnel.noteClientBytes($0) }, onInactive: { tunnel.sideClosed() },
            record: tunnel, idleTimeout: idleTimeout, shutdownGrace: shutdownGrace)
        let server = TunnelGlue(observe: { tunnel.noteServerBytes($0) }, onInactive: { tunnel.sideClosed() })
        client.partner = server
        server.partner = client
        return (client, server)
    }

    private var partnerWritable: Bool { partner?.context?.channel.isWritable ?? false }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
        if record != nil {
            let deadline = LazyDeadline(on: context.eventLoop) { [weak self] in self?.checkIdle() }
            deadline.ensure(within: idleTimeout)
            idleDeadline = deadline
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.partner = nil
        idleDeadline?.cancel()
    }

    private func checkIdle() -> TimeAmount? {
        guard let record, let context else { return nil }
        if let left = LazyDeadline.timeLeft(since: record.lastActivity, timeout: idleTimeout) { return left }
        context.close(promise: nil)
        return nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        // The HTTP decoder stops parsing after CONNECT/Upgrade, so only bytes can arrive here.
        let buffer = unwrapInboundIn(data)
        observe(buffer)
        partner?.context?.write(wrapOutboundOut(buffer), promise: nil)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        partner?.context?.flush()
    }

    func channelInactive(context: ChannelHandlerContext) {
        idleDeadline?.cancel()
        onInactive()
        partner?.context?.close(promise: nil)
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? ChannelEvent, case .inputClosed = event {
            // The peer finished sending: finish sending to the other peer too.
            partner?.context?.close(mode: .output, promise: nil)
        } else if event is ChannelShouldQuiesceEvent {
            quiesce(context: context)
        } else {
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// The proxy is stopping. A tunnel has no request boundaries to wait for, so it closes once
    /// quiet for a moment (what was under way has most likely finished), or when the grace period
    /// ends. Only the client side decides; closing it closes the partner.
    private func quiesce(context: ChannelHandlerContext) {
        guard record != nil else { return }
        idleTimeout = min(idleTimeout, .milliseconds(250))
        idleDeadline?.cancel()
        idleDeadline?.ensure(within: .zero)
        context.eventLoop.assumeIsolated().scheduleTask(in: shutdownGrace) { [weak self] in
            self?.context?.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { partner?.resumeRead() }
        context.fireChannelWritabilityChanged()
    }

    func read(context: ChannelHandlerContext) {
        if partnerWritable {
            context.read()
        } else {
            pendingRead = true
        }
    }

    private func resumeRead() {
        guard pendingRead, let context else { return }
        pendingRead = false
        context.read()
    }
}
