import Foundation

/// Puts IPv4 and IPv6 fragments back together (large DNS answers arrive fragmented over UDP).
/// Bounded: a datagram is at most 64 KiB, at most `maximumPending` datagrams wait at once, and a
/// datagram still incomplete `timeout` seconds (capture time) after its first piece is dropped.
/// Overlapping bytes come from the piece that starts first.
struct FragmentReassembler {
    private struct Pending {
        var pieces: [(offset: Int, bytes: ArraySlice<UInt8>)] = []
        var totalLength: Int?
        var firstSeen: Date
    }

    static let maximumDatagram = 65_535
    let maximumPending: Int
    let timeout: TimeInterval
    private var pending: [NetworkPacket.Fragment.Key: Pending] = [:]
    /// Datagrams put back together.
    private(set) var reassembled = 0
    /// Datagrams given up: never completed in time, too large, or pushed out by the cap.
    private(set) var abandoned = 0

    init(maximumPending: Int = 4_096, timeout: TimeInterval = 30) {
        self.maximumPending = maximumPending
        self.timeout = timeout
    }

    /// Adds a fragment; returns the whole packet (with `fragment` nil) once every piece is in.
    mutating func add(_ packet: NetworkPacket, at time: Date) -> NetworkPacket? {
        guard let fragment = packet.fragment else { return packet }
        let end = fragment.offset + packet.payload.count
        guard end <= Self.maximumDatagram else {
            if pending.removeValue(forKey: fragment.key) != nil { abandoned += 1 }
            return nil
        }
        if pending[fragment.key] == nil {
            if pending.count >= maximumPending { expire(before: time.addingTimeInterval(-timeout), force: true) }
            pending[fragment.key] = Pending(firstSeen: time)
        }
        pending[fragment.key]!.pieces.append((fragment.offset, packet.payload))
        if !fragment.moreFollow { pending[fragment.key]!.totalLength = end }
        guard let datagram = pending[fragment.key], let total = datagram.totalLength,
            let bytes = Self.assemble(datagram.pieces, total: total)
        else { return nil }
        pending[fragment.key] = nil
        reassembled += 1
        var whole = packet
        whole.payload = bytes[...]
        whole.fragment = nil
        return whole
    }

    /// Drops datagrams whose first piece came before `cutoff`; with `force`, the oldest half
    /// goes too when that frees nothing (the cap is reached by fragments still in time).
    mutating func expire(before cutoff: Date, force: Bool = false) {
        let before = pending.count
        pending = pending.filter { $0.value.firstSeen >= cutoff }
        if force, pending.count >= maximumPending {
            let oldest = pending.sorted { $0.value.firstSeen < $1.value.firstSeen }.prefix(pending.count / 2)
            for (key, _) in oldest { pending[key] = nil }
        }
        abandoned += before - pending.count
    }

    /// Datagrams still waiting for pieces (counted as abandoned when the capture ends).
    mutating func finish() {
        abandoned += pending.count
        pending.removeAll()
    }

    /// The datagram, if the pieces cover 0..<total without a hole.
    private static func assemble(_ pieces: [(offset: Int, bytes: ArraySlice<UInt8>)], total: Int) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: total)
        var covered = 0
        for piece in pieces.sorted(by: { $0.offset < $1.offset }) {
            guard piece.offset <= covered else { return nil }
            let start = max(piece.offset, covered)
            let end = min(piece.offset + piece.bytes.count, total)
            if end > start {
                let from = piece.bytes.startIndex + (start - piece.offset)
                bytes.replaceSubrange(start..<end, with: piece.bytes[from..<(from + end - start)])
                covered = end
            }
        }
        return covered == total ? bytes : nil
    }
}
