import NIOConcurrencyHelpers

/// Counters shared by every connection, shown on the status page and used for the connection cap.
public final class ProxyStatistics: Sendable {
    private struct Counts {
        var openConnections = 0
        var requests = 0
        var tunnels = 0
        var refusedClients = 0
    }

    private let counts = NIOLockedValueBox(Counts())

    public init() {}

    public var openConnections: Int { counts.withLockedValue { $0.openConnections } }
    public var requests: Int { counts.withLockedValue { $0.requests } }
    public var tunnels: Int { counts.withLockedValue { $0.tunnels } }
    public var refusedClients: Int { counts.withLockedValue { $0.refusedClients } }

    /// Counts a new connection if there is room under `limit`.
    func admitConnection(limit: Int) -> Bool {
        counts.withLockedValue {
            guard $0.openConnections < limit else { return false }
            $0.openConnections += 1
            return true
        }
    }

    func connectionClosed() { counts.withLockedValue { $0.openConnections -= 1 } }
    func requestForwarded() { counts.withLockedValue { $0.requests += 1 } }
    func tunnelOpened() { counts.withLockedValue { $0.tunnels += 1 } }
    func clientRefused() { counts.withLockedValue { $0.refusedClients += 1 } }
}
