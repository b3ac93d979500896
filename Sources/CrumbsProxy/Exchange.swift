import CrumbsModel
import NIOCore
import NIOHTTP1

/// One forwarded request and its response, from the client's request head to the response end.
final class Exchange {
    /// Where the connection goes: the origin, or the parent proxy.
    let key: UpstreamRoute
    let outgoingHead: HTTPRequestHead
    let clientVersion: HTTPVersion
    let clientKeepAlive: Bool
    let started: NIODeadline
    var event: RequestEvent
    /// False for Crumbs' own dashboard behind crumbs.internal: never an observation.
    let recorded: Bool

    var upstream: UpstreamHandler?
    /// Request parts read while the upstream connection was being opened.
    var buffered: [HTTPClientRequestPart] = []
    var requestEnded = false
    var bodyPartsSent = 0
    var responseStarted = false
    var upstreamKeepAlive = false
    var closeClientAfterResponse = false
    var reusedConnection = false
    var retried = false
    /// Whether the upstream's silence counts (see `ProxyHandler.armUpstreamTimer`); false while
    /// the client is too slow to take the response.
    var watched = false
    /// When the upstream last sent something; the connection's deadline checks it instead of
    /// being re-armed on every read (scheduling a task per body part costs more than the read).
    var lastUpstreamActivity = NIODeadline.now()

    init(
        key: UpstreamRoute,
        outgoingHead: HTTPRequestHead,
        clientHead: HTTPRequestHead,
        event: RequestEvent,
        recorded: Bool = true
    ) {
        self.recorded = recorded
        self.key = key
        self.outgoingHead = outgoingHead
        self.clientVersion = clientHead.version
        self.clientKeepAlive = clientHead.isKeepAlive
        self.started = .now()
        self.event = event
    }

    var elapsedSeconds: Double { Double((NIODeadline.now() - started).nanoseconds) / 1e9 }

    /// Takes the upstream connection away from this exchange before it is closed or pooled.
    /// Closing can report back synchronously; detached, that report no longer finds us.
    func detachUpstream() -> UpstreamHandler? {
        let detached = upstream
        upstream = nil
        detached?.receiver = nil
        return detached
    }
}
