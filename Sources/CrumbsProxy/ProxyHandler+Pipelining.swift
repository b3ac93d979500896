import NIOCore
import NIOHTTP1

/// Why reads from a client are held back.
struct ReadHolds: OptionSet {
    let rawValue: UInt8
    /// Connecting upstream, or the upstream cannot take more of the request body.
    static let upstream = ReadHolds(rawValue: 1 << 0)
    /// Pipelined requests wait in the queue: read no more until they have been handled.
    static let pipelined = ReadHolds(rawValue: 1 << 1)
}

/// HTTP/1.1 pipelining: a client may send its next requests before the current response ends.
/// They wait here, in order, and are handled when the connection is idle again.
///
/// Why not NIO's `HTTPServerPipelineHandler`: it stops reading from every client while a response
/// is in flight and starts again after it, which costs two `epoll_ctl` calls per request even
/// when (as with browsers) nothing is pipelined. This queue holds reads back only once a client
/// really has pipelined, so the queue never grows beyond what one read delivered.
extension ProxyHandler {
    /// True when `part` belongs to a request behind the one in progress.
    func mustWait(_ part: HTTPServerRequestPart) -> Bool {
        if !pipelined.isEmpty { return true }
        guard case .head = part else { return false }
        return !isIdle
    }

    func queueBehindCurrentRequest(_ part: HTTPServerRequestPart) {
        switch state {
        case .switching, .closed:
            return  // nothing after a tunnel request or a closing answer is read as HTTP
        case .idle, .forwarding, .answering:
            pipelined.append(part)
            holdReads(.pipelined)
        }
    }

    /// The request in progress has been answered and the connection stays open: start the idle
    /// clock and handle what the client pipelined meanwhile. `written` completes when the
    /// answer has left.
    func requestFinished(context: ChannelHandlerContext, written: EventLoopFuture<Void>?) {
        idleSince = .now()
        idleDeadline?.ensure(within: idleCheckInterval)
        if let written { lastResponseWritten = written }
        guard !pipelined.isEmpty, !drainingPipelined else {
            closeIfClientIsDone(context: context)
            return
        }
        // Handling a part can finish a request again (a local answer): this loop, not a nested
        // call, goes on with the next one.
        drainingPipelined = true
        defer { drainingPipelined = false }
        while let next = pipelined.first {
            // The body and end of a request just started are its own: they go on at once. The
            // next head waits until this request is done.
            if case .head = next, !isIdle { break }
            pipelined.removeFirst()
            handle(next, context: context)
        }
        if pipelined.isEmpty { releaseReads(.pipelined) }
        closeIfClientIsDone(context: context)
    }

    /// Closes the connection of a client that half-closed, once every request it sent has been
    /// answered and the answers have left (closing at once would drop what is still queued).
    func closeIfClientIsDone(context: ChannelHandlerContext) {
        guard clientFinishedSending, isIdle, pipelined.isEmpty, !drainingPipelined else { return }
        let written = lastResponseWritten ?? context.eventLoop.makeSucceededVoidFuture()
        written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    var isIdle: Bool {
        if case .idle = state { return true }
        return false
    }
}
