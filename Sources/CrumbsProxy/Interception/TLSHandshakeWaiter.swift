import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import NIOTLS

/// Sits behind an upstream `NIOSSLClientHandler` until the handshake is over: succeeds `ready`
/// when it completes, or fails it with the certificate verdict (why the origin was refused)
/// rather than BoringSSL's generic error. Then leaves the pipeline. An origin that accepts TCP
/// but never finishes the handshake fails it after `timeout` (`PhaseTimeout`).
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let ready: EventLoopPromise<Void>
    private let verdict: NIOLockedValueBox<UpstreamVerifier.Refusal?>
    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?
    private var done = false

    init(
        ready: EventLoopPromise<Void>, verdict: NIOLockedValueBox<UpstreamVerifier.Refusal?>, timeout: TimeAmount
    ) {
        self.ready = ready
        self.verdict = verdict
        self.timeout = timeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        deadline = context.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [weak self] in
            guard let self, !self.done else { return }
            self.finish(with: PhaseTimeout(phase: .upstreamTLSHandshake, timeout: self.timeout))
            context.close(promise: nil)
        }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event, !done {
            done = true
            deadline?.cancel()
            ready.succeed()
            context.fireUserInboundEventTriggered(event)
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        finish(with: verdict.withLockedValue { $0 } ?? error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(with: verdict.withLockedValue { $0 } ?? ChannelError.eof)
        context.fireChannelInactive()
    }

    private func finish(with error: Error) {
        guard !done else { return }
        done = true
        deadline?.cancel()
        ready.fail(error)
    }
}
