import NIOCore

/// A connection phase that did not finish in time. Every phase between accepting a client and
/// carrying its first byte has a deadline, so a peer that stalls half-way (accepts TCP and never
/// answers the TLS ClientHello, say) costs a bounded wait and leaves an event naming the phase.
struct PhaseTimeout: Error, CustomStringConvertible {
    enum Phase: String {
        case upstreamTLSHandshake = "the TLS handshake with the origin"
        case clientTLSHandshake = "the TLS handshake with the client"
    }

    let phase: Phase
    let timeout: TimeAmount

    var description: String {
        "\(phase.rawValue) did not complete within \(Self.format(timeout))"
    }

    private static func format(_ amount: TimeAmount) -> String {
        let milliseconds = amount.nanoseconds / 1_000_000
        return milliseconds % 1000 == 0 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}
