import NIOConcurrencyHelpers

/// Counters shared by every connection, shown on the status page and used for the connection caps.
public final class ProxyStatistics: Sendable {
    private struct Counts {
        var openConnections = 0
        /// Open connections per client address; addresses leave when their last one closes.
        var openByClient: [String: Int] = [:]
        var requests = 0
        var tunnels = 0
        var refusedClients = 0
    }

    /// Why a new connection was not admitted.
    enum Refusal: Equatable {
        /// Every slot of the global cap is taken.
        case proxyFull
        /// This client already holds its share.
        case clientFull
    }

    private let counts = NIOLockedValueBox(Counts())

    public init() {}

    public var openConnections: Int { counts.withLockedValue { $0.openConnections } }
    public var requests: Int { counts.withLockedValue { $0.requests } }
    public var tunnels: Int { counts.withLockedValue { $0.tunnels } }
    public var refusedClients: Int { counts.withLockedValue { $0.refusedClients } }

    /// Counts a new connection from `client` if there is room under both caps; otherwise says
    /// which cap is full. One client may hold at most `perClient` connections, so that it cannot
    /// take every slot of `limit` and lock the others out.
    func admitConnection(from client: String, limit: Int, perClient: Int) -> Refusal? {
        counts.withLockedValue {
            guard $0.openConnections < limit else { return .proxyFull }
            guard $0.openByClient[client, default: 0] < perClient else { return .clientFull }
            $0.openConnections += 1
            $0.openByClient[client, default: 0] += 1
            return nil
        }
    }

    func connectionClosed(from client: String) {
        counts.withLockedValue {
            $0.openConnections -= 1
            let left = $0.openByClient[client, default: 1] - 1
            $0.openByClient[client] = left > 0 ? left : nil
        }
    }

    /// Three quarters of the cap are taken: idle connections should make room sooner.
    func isUnderPressure(limit: Int) -> Bool {
        counts.withLockedValue { $0.openConnections * 4 >= limit * 3 }
    }

    func requestForwarded() { counts.withLockedValue { $0.requests += 1 } }
    func tunnelOpened() { counts.withLockedValue { $0.tunnels += 1 } }
    func clientRefused() { counts.withLockedValue { $0.refusedClients += 1 } }
}
