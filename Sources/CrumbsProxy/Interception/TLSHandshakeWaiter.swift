import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import NIOTLS

/// Sits behind an upstream `NIOSSLClientHandler` until the handshake is over: succeeds `ready`
/// when it completes, or fails it with the certificate verdict (why the origin was refused)
/// rather than BoringSSL's generic error. Then leaves the pipeline.
final class TLSHandshakeWaiter: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny

    private let ready: EventLoopPromise<Void>
    private let verdict: NIOLockedValueBox<UpstreamVerifier.Refusal?>
    private var done = false

    init(ready: EventLoopPromise<Void>, verdict: NIOLockedValueBox<UpstreamVerifier.Refusal?>) {
        self.ready = ready
        self.verdict = verdict
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event, !done {
            done = true
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
        ready.fail(error)
    }
}
