import CrumbsIngest
import CrumbsModel
import Foundation
import Logging
import NIOCore

/// What every connection handler shares: configuration, the event sink and the statistics.
/// Immutable and Sendable; per-loop mutable state (the upstream pool) lives in `UpstreamPool`.
struct ProxyContext: Sendable {
    let configuration: ProxyConfiguration
    let events: EventBuilder
    let sink: any EventSink
    let statistics: ProxyStatistics
    let pages: LocalPages
    let logger: Logger
    /// Set when `--intercept` is on.
    let tls: InterceptionTLS?

    /// Host names under which a client reaches the proxy itself (answered locally, never
    /// forwarded): the address it connected to, plus the loopback names when that is loopback.
    static func localHosts(for address: SocketAddress?) -> Set<String> {
        guard let address, let ip = address.ipAddress else { return [] }
        var hosts: Set<String> = [ip.lowercased()]
        if CIDR.loopback.contains(where: { $0.contains(address) }) {
            hosts.formUnion(["localhost", "127.0.0.1", "::1"])
        }
        return hosts
    }

    /// Where connections for `target` go: the target itself, or the parent proxy.
    func connectionKey(for target: HostAndPort) -> HostAndPort {
        parentProxy ?? target
    }

    var parentProxy: HostAndPort? {
        configuration.upstreamProxy.map { HostAndPort(host: $0.host, port: $0.port) }
    }

    /// The upstream route for a request to `target`, in TLS when it came out of an intercepted tunnel.
    func route(for target: HostAndPort, tls: Bool) -> UpstreamRoute {
        UpstreamRoute(origin: target, parent: parentProxy, tls: tls)
    }
}
