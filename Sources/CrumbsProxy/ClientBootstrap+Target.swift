import CrumbsModel
import NIOCore
import NIOPosix

extension ClientBootstrap {
    /// Connects to `target`; an IP literal is connected to directly. `connect(host:port:)` would
    /// send even `127.0.0.1` through getaddrinfo on a Dispatch thread and the Happy Eyeballs
    /// state machine: a thread hop and a third of the proxy's CPU per CONNECT tunnel to an address
    /// (scripts/bench-proxy). Names are resolved as before.
    func connect(to target: HostAndPort) -> EventLoopFuture<Channel> {
        if let address = target.socketAddress {
            return connect(to: address)
        }
        return connect(host: target.host, port: target.port)
    }
}

extension HostAndPort {
    /// The socket address when the host is an IPv4 or IPv6 literal, nil for a name.
    var socketAddress: SocketAddress? {
        // Only digits and dots, or a colon: anything else is a name, and needs no parse attempt.
        let couldBeIP = isIPv6 || host.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E }
        guard couldBeIP else { return nil }
        return try? SocketAddress(ipAddress: host, port: port)
    }
}
