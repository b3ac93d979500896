/// What a capture (a file or a live interface) gave, for the summary at its end.
public struct CaptureSummary: Sendable {
    public var format = ""
    public var packets = 0
    public var events = 0
    /// Lookups by the devices (DNS on port 53), one event each.
    public var dnsQueries = 0
    /// Lookups whose answer was not in the capture.
    public var unansweredQueries = 0
    /// mDNS and LLMNR: devices announcing themselves, not the user's lookups; counted, no event.
    public var multicastQueries = 0
    public var dnsAnswers = 0
    /// Names whose CNAME chain ends on another site: name → where the chain ends. The CLI
    /// says which of these end at a tracker (CNAME cloaking). At most 1,000 kept.
    public var cnameRedirections: [String: String] = [:]
    public var tlsHellos = 0
    public var quicHellos = 0
    /// ClientHellos with Encrypted Client Hello: their SNI is the outer one, not the destination.
    public var encryptedHellos = 0
    /// Flows named from the device's DNS answer (no name in the flow itself).
    public var namedFromDNS = 0
    public var httpRequests = 0
    public var httpResponses = 0
    /// QUIC packets that were not a client's Initial Crumbs could decrypt (later packets are
    /// encrypted with keys only the endpoints have).
    public var quicOtherPackets = 0
    public var tcp = TCPCounters()
    public var fragmentsReassembled = 0
    public var fragmentsAbandoned = 0
    public var quicHellosAbandoned = 0
    public var skipped: [PacketSkip: Int] = [:]
    /// Packets between the proxy and its clients or from this machine (`crumbs run --capture`):
    /// the proxy records that traffic itself.
    public var excluded = 0
    /// Where the file broke, if it did: everything before it was imported.
    public var error: ImportError?

    public init() {}
}

/// What TCP reassembly did, for the summary.
public struct TCPCounters: Sendable, Equatable {
    /// Segments whose bytes had all been seen (retransmissions): not read twice.
    public var retransmissions = 0
    /// Segments that repeated part of what came before; the new part was read.
    public var overlaps = 0
    /// Segments that arrived before one sent earlier, held until the gap filled.
    public var outOfOrder = 0
    /// Gaps never filled (a segment the capture missed): the stream was read on after them.
    public var gapsSkipped = 0
    /// Heads or hellos cut by the memory caps.
    public var cut = 0
    /// Streams dropped to stay within the total memory cap.
    public var evicted = 0
    /// Hellos or heads still incomplete when their stream or the capture ended.
    public var unfinished = 0

    public init() {}
}
