import CrumbsCA
import CrumbsModel
import Foundation
import NIOCore

/// Everything the proxy needs to know, built by the CLI from flags and the config file.
public struct ProxyConfiguration: Sendable {
    /// Address to listen on. Loopback by default: Crumbs must never be an open proxy by accident.
    public var listenHost: String = "127.0.0.1"
    public var listenPort: Int = 8080
    /// Client networks allowed to use the proxy. Replaced (not extended) by `--allow`.
    public var allowedClients: [CIDR] = CIDR.loopback
    /// Ports CONNECT may reach. 80 is there because browsers tunnel `ws://` through CONNECT.
    public var connectPorts: Set<Int> = [443, 80]
    /// Other names (lower case) under which clients reach the proxy's own pages, such as the
    /// machine's host name for a PAC URL on the local network. Any other Host is refused there.
    public var ownNames: Set<String> = []
    /// The dashboard's port on 127.0.0.1: http://crumbs.internal/ is forwarded there, but for
    /// the certificate's own paths. Nil: crumbs.internal serves the certificate page only.
    public var dashboardPort: Int?
    /// Ports plain HTTP requests may be forwarded to beyond `SafePorts` (`--http-port`).
    public var extraHTTPPorts: Set<Int> = []
    /// A parent proxy that receives everything, CONNECT included.
    public var upstreamProxy: UpstreamProxy?
    /// How long an upstream may stay silent (connect, or waiting for the response) before a 504.
    public var upstreamTimeout: TimeAmount = .seconds(30)
    /// How long a client connection may sit idle between requests.
    public var idleTimeout: TimeAmount = .seconds(60)
    /// How long a tunnel may carry no bytes at all before it is closed.
    public var tunnelIdleTimeout: TimeAmount = .seconds(600)
    /// When stopping: how long requests under way may take to finish before they are cut.
    public var shutdownGrace: TimeAmount = .seconds(5)
    /// Cap on concurrent client connections; further clients get a 503.
    public var maxConnections: Int = 1024
    /// Cap on one client address's connections, so that one client cannot take every slot. A
    /// browser opens six per host and rarely more than a hundred in all.
    public var maxConnectionsPerClient: Int = 256
    /// When three quarters of `maxConnections` are taken, idle connections are closed after this
    /// instead of `idleTimeout`, to make room.
    public var idleTimeoutUnderPressure: TimeAmount = .seconds(5)
    /// Request heads larger than this are answered with 431.
    public var maxRequestHeadBytes: Int = 64 * 1024
    /// Idle keep-alive connections kept per upstream host and event loop. Generous, because a
    /// pool smaller than the client concurrency closes and reopens origin connections all the time.
    public var maxIdleUpstreamPerHost: Int = 128
    /// Keep query strings in recorded paths (off by default: they often carry identifiers).
    public var keepQuery: Bool = false
    /// The store's privacy levels and retention, for the status page (the proxy itself only
    /// states them: the recorder's stage applies them).
    public var recording = RecordingLevels()
    /// Decrypt CONNECT tunnels with certificates from the local CA (`--intercept`); nil tunnels them.
    public var interception: InterceptionSettings?
    /// The local CA, when one exists: `http://crumbs.internal/` serves it with install steps.
    public var authorityCertificate: AuthorityCertificate?
    /// Token in our `Via` header; seeing it on an incoming request means a forwarding loop.
    public var viaToken: String = "crumbs-" + String(UInt32.random(in: .min ... .max), radix: 16)

    public init() {}
}

/// A parent HTTP proxy (`--upstream http://host:port`).
public struct UpstreamProxy: Sendable, Equatable {
    public var host: String
    public var port: Int

    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `http://host:port` or `host:port`.
    public init?(url text: String) {
        var rest = Substring(text)
        if rest.lowercased().hasPrefix("http://") { rest = rest.dropFirst(7) }
        while rest.hasSuffix("/") { rest = rest.dropLast() }
        guard let target = HostAndPort(authority: rest, defaultPort: 8080) else { return nil }
        self.init(host: target.host, port: target.port)
    }
}

/// What the store keeps (`record`), how it names clients (`clients`), and for how long.
public struct RecordingLevels: Sendable, Equatable {
    /// full, hosts or sites.
    public var record: String
    /// addresses, pseudonyms or none.
    public var clients: String
    /// Days of events kept; 0 keeps everything.
    public var retentionDays: Int

    public init(record: String = "full", clients: String = "addresses", retentionDays: Int = 90) {
        self.record = record
        self.clients = clients
        self.retentionDays = retentionDays
    }

    /// One sentence for people.
    public var summary: String {
        let kept = retentionDays == 0 ? "kept until forgotten" : "deleted after \(retentionDays) days"
        return "record = \(record), clients = \(clients); events are \(kept) (crumbs forget removes any of them)."
    }
}
