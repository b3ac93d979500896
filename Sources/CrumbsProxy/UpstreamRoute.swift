import CrumbsModel

/// Where an exchange's upstream connection goes, and how: straight to the origin or through the
/// parent proxy, in clear or in TLS (intercepted https). Also the upstream pool's key, so only
/// connections that are interchangeable are shared.
struct UpstreamRoute: Hashable, Sendable, CustomStringConvertible {
    /// The host the request is for.
    let origin: HostAndPort
    /// The parent proxy the connection goes through, when it tunnels (TLS) through one.
    let parent: HostAndPort?
    let tls: Bool

    /// Plain HTTP through a parent is sent in absolute form over connections to the parent, which
    /// any origin may share: such a route names the parent as its origin and has no `parent`.
    init(origin: HostAndPort, parent: HostAndPort?, tls: Bool) {
        if let parent, !tls {
            self.origin = parent
            self.parent = nil
        } else {
            self.origin = origin
            self.parent = parent
        }
        self.tls = tls
    }

    /// Where the TCP connection goes.
    var connectTarget: HostAndPort { parent ?? origin }

    var description: String {
        (tls ? "https://" : "") + origin.description + (parent.map { " via \($0)" } ?? "")
    }
}
