import NIOCore
import NIOHTTP1

/// Answers requests the HTTP parser rejected: 431 when the head is too large, 400 otherwise.
/// Like NIO's `HTTPServerProtocolErrorHandler`, but with the status and a reason the client can
/// read. The decoder closes the connection right after.
final class ProxyProtocolErrorHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundIn = HTTPServerResponsePart
    typealias OutboundOut = HTTPServerResponsePart

    private var responseInProgress = false

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        if !responseInProgress {
            let tooLarge = parserError == .headerOverflow
            let response = ProxyResponse.errorPage(
                tooLarge ? .requestHeaderFieldsTooLarge : .badRequest,
                title: tooLarge ? "Request Header Fields Too Large" : "Bad Request",
                detail: tooLarge
                    ? "The request head is larger than this proxy accepts."
                    : "The request could not be parsed as HTTP/1.1 (\(parserError))."
            )
            for part in response.parts(version: .http1_1, close: true, allocator: context.channel.allocator) {
                context.write(wrapOutboundOut(part), promise: nil)
            }
            context.flush()
            responseInProgress = true
        }
        context.fireErrorCaught(error)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(let head) where head.status.code >= 200: responseInProgress = true
        case .end: responseInProgress = false
        default: break
        }
        context.write(data, promise: promise)
    }
}
