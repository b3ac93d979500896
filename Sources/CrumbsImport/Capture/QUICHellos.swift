import Foundation

/// Puts a QUIC client's ClientHello back together from the CRYPTO frames of its Initial packets
/// (Chrome's hello, with its post-quantum key share, spans two packets, and Chrome scatters the
/// frames out of order on purpose). One flow per client address, port and connection ID;
/// bounded like the TCP streams.
struct QUICHellos {
    struct Flow: Hashable {
        var client: IPAddress
        var clientPort: Int
        var server: IPAddress
        var serverPort: Int
        var connectionID: [UInt8]
    }

    private struct Pending {
        var pieces: [QUICInitial.CryptoPiece] = []
        var firstSeen: Date
    }

    static let maximumHello = 65_536
    let maximumFlows: Int
    private var pending: [Flow: Pending] = [:]
    /// Flows whose hello was read: later Initials of theirs (acknowledgements, retransmissions)
    /// give nothing new.
    private var finished: Set<Flow> = []
    private(set) var abandoned = 0

    init(maximumFlows: Int = 4_096) {
        self.maximumFlows = maximumFlows
    }

    /// Adds a decrypted Initial; returns the hello once the CRYPTO stream holds all of it.
    mutating func add(_ initial: QUICInitial, flow: Flow, at time: Date) -> TLSClientHello.ParseResult? {
        guard !finished.contains(flow), !initial.crypto.isEmpty else { return nil }
        if pending[flow] == nil {
            if pending.count >= maximumFlows { expire(before: time.addingTimeInterval(-10)) }
            if pending.count >= maximumFlows, let oldest = pending.min(by: { $0.value.firstSeen < $1.value.firstSeen })
            {
                pending[oldest.key] = nil
                abandoned += 1
            }
            pending[flow] = Pending(firstSeen: time)
        }
        pending[flow]!.pieces += initial.crypto.filter { $0.offset + $0.bytes.count <= Self.maximumHello }
        let stream = Self.contiguous(pending[flow]!.pieces)
        let result = TLSClientHello.parseHandshake(stream)
        if result == .incomplete { return nil }
        pending[flow] = nil
        if finished.count >= maximumFlows * 16 { finished.removeAll() }
        finished.insert(flow)
        return result
    }

    mutating func expire(before cutoff: Date) {
        let before = pending.count
        pending = pending.filter { $0.value.firstSeen >= cutoff }
        abandoned += before - pending.count
    }

    mutating func finish() {
        abandoned += pending.count
        pending.removeAll()
    }

    /// The bytes from offset 0 up to the first hole.
    static func contiguous(_ pieces: [QUICInitial.CryptoPiece]) -> [UInt8] {
        var stream: [UInt8] = []
        for piece in pieces.sorted(by: { $0.offset < $1.offset }) {
            guard piece.offset <= stream.count else { break }
            let overlap = stream.count - piece.offset
            if overlap < piece.bytes.count { stream += piece.bytes[overlap...] }
        }
        return stream
    }
}
