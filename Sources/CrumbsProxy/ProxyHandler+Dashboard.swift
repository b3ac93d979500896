import CrumbsModel
import NIOCore
import NIOHTTP1

/// http://crumbs.internal/ is Crumbs' dashboard: the proxy forwards it to the dashboard's
/// loopback port, directly (never through a parent proxy), without recording it, and tells it
/// what it alone knows: whether this browser trusts the Crumbs certificate.
extension ProxyHandler {
    static let trustHeader = "X-Crumbs-Trust"
    static let modeHeader = "X-Crumbs-Interception"

    func forwardToDashboard(port: Int, pathAndQuery: String, head: HTTPRequestHead, context: ChannelHandlerContext) {
        var head = head
        // Only the proxy says these: a client's own are dropped.
        head.headers.remove(name: Self.trustHeader)
        head.headers.remove(name: Self.modeHeader)
        let (trust, mode) = Self.headerValues(trustStatus(head))
        head.headers.add(name: Self.trustHeader, value: trust)
        if let mode { head.headers.add(name: Self.modeHeader, value: mode) }
        let dashboard = HostAndPort(host: "127.0.0.1", port: port)
        startExchange(
            target: dashboard, pathAndQuery: pathAndQuery, head: head,
            route: UpstreamRoute(origin: dashboard, parent: nil, tls: false), recorded: false, context: context)
    }

    static func headerValues(_ status: TrustCheck.Status) -> (trust: String, mode: String?) {
        switch status {
        case .notDecrypting: ("off", nil)
        case .unknown(let mode): ("unknown", mode.rawValue)
        case .trusted(let mode): ("trusted", mode.rawValue)
        case .notTrusted(let mode): ("not-trusted", mode.rawValue)
        }
    }
}
