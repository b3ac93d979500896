import CrumbsModel
import NIOCore
import NIOExtras
import NIOHTTP1
import NIOPosix
import NIOSSL

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Why an upstream could not be used, as the status the client gets and a short reason that
/// names the host. Shown on the error page and stored in the event.
struct UpstreamFailure: Error {
    var status: HTTPResponseStatus
    var reason: String

    var title: String {
        status == .gatewayTimeout ? "Gateway Timeout" : "Bad Gateway"
    }

    init(status: HTTPResponseStatus, reason: String) {
        self.status = status
        self.reason = reason
    }

    /// Maps what NIO reports for a failed connect to a status and a reason people can act on.
    init(connectError error: Error, target: HostAndPort) {
        switch error {
        case let error as NIOConnectionError:
            if error.connectionErrors.isEmpty, let dns = error.dnsAError ?? error.dnsAAAAError {
                self.init(status: .badGateway, reason: "cannot resolve host \(target.host): \(Self.describe(dns))")
            } else if let first = error.connectionErrors.first {
                self.init(status: .badGateway, reason: "cannot connect to \(target): \(Self.describe(first.error))")
            } else {
                self.init(status: .badGateway, reason: "cannot resolve host \(target.host): no addresses")
            }
        case ChannelError.connectTimeout(let amount):
            self.init(
                status: .gatewayTimeout,
                reason: "\(target) did not accept a connection within \(amount.nanoseconds / 1_000_000_000) s"
            )
        case let timeout as PhaseTimeout:
            self.init(status: .gatewayTimeout, reason: "\(target): \(timeout.description)")
        case let refusal as UpstreamVerifier.Refusal:
            self.init(status: .badGateway, reason: refusal.description)
        case let error as NIOSSLError:
            self.init(status: .badGateway, reason: "TLS handshake with \(target) failed: \(error)")
        case let error as NIOHTTP1ProxyConnectHandler.Error:
            self.init(status: .badGateway, reason: "the parent proxy refused to connect to \(target.host): \(error)")
        default:
            self.init(status: .badGateway, reason: "cannot connect to \(target): \(Self.describe(error))")
        }
    }

    private static func describe(_ error: Error) -> String {
        if let io = error as? IOError {
            switch io.errnoCode {
            case ECONNREFUSED: return "connection refused"
            case ENETUNREACH, EHOSTUNREACH: return "network unreachable"
            case ECONNRESET: return "connection reset"
            default: return String(cString: strerror(io.errnoCode))
            }
        }
        if let resolution = error as? SocketAddressError {
            return "\(resolution)"
        }
        return "\(error)"
    }
}
