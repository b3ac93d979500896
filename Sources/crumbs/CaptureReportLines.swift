import CrumbsImport

/// The lines of a capture's summary that say what reassembly and decoding did (shared by
/// `crumbs import` and `crumbs capture`).
enum CaptureReportLines {
    /// What was read, protocol by protocol.
    static func protocols(_ capture: CaptureSummary) -> String {
        "  DNS lookups: \(capture.dnsQueries) (\(capture.unansweredQueries) unanswered), TLS server names: "
            + "\(capture.tlsHellos), QUIC server names: \(capture.quicHellos), plain HTTP requests: "
            + "\(capture.httpRequests) (responses: \(capture.httpResponses)); mDNS/LLMNR (not counted as "
            + "lookups): \(capture.multicastQueries)"
    }

    static func details(_ capture: CaptureSummary) -> [String] {
        var lines: [String] = []
        let tcp = capture.tcp
        let reassembly = [
            tcp.retransmissions > 0 ? "\(tcp.retransmissions) retransmitted segments read once" : nil,
            tcp.outOfOrder > 0 ? "\(tcp.outOfOrder) out-of-order segments put back in order" : nil,
            tcp.overlaps > 0 ? "\(tcp.overlaps) overlapping segments" : nil,
            tcp.gapsSkipped > 0 ? "\(tcp.gapsSkipped) gaps (segments missing from the capture)" : nil,
            tcp.cut > 0 ? "\(tcp.cut) heads or hellos cut by the memory caps" : nil,
            tcp.evicted > 0 ? "\(tcp.evicted) streams dropped by the memory cap" : nil,
            tcp.unfinished > 0 ? "\(tcp.unfinished) hellos or heads unfinished when their stream ended" : nil,
            capture.fragmentsReassembled > 0 ? "\(capture.fragmentsReassembled) IP datagrams reassembled" : nil,
            capture.fragmentsAbandoned > 0 ? "\(capture.fragmentsAbandoned) fragmented datagrams incomplete" : nil,
            capture.quicHellosAbandoned > 0 ? "\(capture.quicHellosAbandoned) QUIC hellos incomplete" : nil,
        ].compactMap { $0 }
        if !reassembly.isEmpty { lines.append("  reassembly: " + reassembly.joined(separator: ", ")) }
        if capture.quicOtherPackets > 0 {
            lines.append(
                "  \(capture.quicOtherPackets) QUIC packets past the Initial ones (encrypted end to end, not read)")
        }
        if capture.excluded > 0 {
            lines.append(
                "  \(capture.excluded) packets between the proxy and its clients or from this machine, "
                    + "left to the proxy")
        }
        let skipped = capture.skipped.filter { $0.value > 0 }.sorted { $0.key.rawValue < $1.key.rawValue }
        if !skipped.isEmpty {
            lines.append("  not read: " + skipped.map { "\($0.value) \($0.key.description)" }.joined(separator: ", "))
        }
        return lines
    }
}

extension PacketSkip: CustomStringConvertible {
    public var description: String {
        switch self {
        case .unsupportedLinkType: "frames of an unsupported link type"
        case .notIP: "non-IP frames (ARP…)"
        case .notTCPOrUDP: "neither TCP nor UDP (ICMP…)"
        case .fragment: "IP fragments"
        case .truncated: "frames cut short"
        }
    }
}
