import CrumbsIngest
import CrumbsModel
import Foundation

/// What a capture file gave, for the import's summary.
public struct CaptureImportSummary: Sendable {
    public var format = ""
    public var packets = 0
    public var events = 0
    /// Lookups by the devices (DNS on port 53), one event each.
    public var dnsQueries = 0
    /// mDNS and LLMNR: devices announcing themselves, not the user's lookups; counted, no event.
    public var multicastQueries = 0
    public var dnsAnswers = 0
    public var tlsHellos = 0
    /// ClientHellos with Encrypted Client Hello: their SNI is the outer one, not the destination.
    public var encryptedHellos = 0
    /// Hellos that go on past their first segment (not reassembled yet).
    public var incompleteHellos = 0
    public var httpRequests = 0
    /// TCP segments seen again (retransmissions): not counted twice.
    public var retransmissions = 0
    /// UDP on port 443: QUIC, whose Initial packets are not decrypted yet.
    public var quicPackets = 0
    public var skipped: [PacketSkip: Int] = [:]
    /// Where the file broke, if it did: everything before it was imported.
    public var error: ImportError?

    public init() {}
}

/// Turns a capture file's packets into events of the one pipeline (`source = capture`): DNS
/// queries, TLS ClientHello server names, plain HTTP requests. Nothing is decrypted; payloads
/// beyond those headers are never kept.
///
/// Not yet: TCP reassembly (a ClientHello or HTTP head split over segments is counted as
/// incomplete), IP fragment reassembly, QUIC Initial decryption, the per-device address → name
/// map from DNS answers.
public struct CaptureImporter {
    /// A TCP segment that gave an event: the same one again is a retransmission.
    private struct Segment: Hashable {
        var source: String
        var sourcePort: Int
        var destination: String
        var destinationPort: Int
        var sequence: UInt32
    }

    let builder: EventBuilder
    /// Events are handed over in batches of this many.
    let batchSize: Int

    public init(builder: EventBuilder, batchSize: Int = 2_000) {
        self.builder = builder
        self.batchSize = batchSize
    }

    public func run(
        source: any ByteSource, name: String, progress: ((Int) -> Void)? = nil,
        deliver: ([RequestEvent]) throws -> Void
    ) throws -> CaptureImportSummary {
        var reader = try CaptureFileReader(source, name: name)
        var summary = CaptureImportSummary()
        summary.format = reader.format.rawValue
        var batch: [RequestEvent] = []
        var seen: Set<Segment> = []
        while true {
            let packet: CapturedPacket?
            do {
                packet = try reader.next()
            } catch let error as ImportError {
                // A broken file: keep what came before, and say where it broke.
                summary.error = error
                break
            }
            guard let packet else { break }
            summary.packets += 1
            if let event = events(from: packet, into: &summary, seen: &seen) {
                batch.append(event)
                summary.events += 1
            }
            if batch.count >= batchSize {
                try deliver(batch)
                batch.removeAll(keepingCapacity: true)
                progress?(Int(packet.offset))
            }
        }
        if !batch.isEmpty { try deliver(batch) }
        return summary
    }

    private func events(
        from packet: CapturedPacket, into summary: inout CaptureImportSummary, seen: inout Set<Segment>
    ) -> RequestEvent? {
        let decoded: DecodedPacket
        switch PacketDecoder.decode(packet.bytes, linkType: packet.linkType) {
        case .success(let value): decoded = value
        case .failure(let skip):
            summary.skipped[skip, default: 0] += 1
            return nil
        }
        switch decoded.transport {
        case .udp: return udp(decoded, packet, &summary)
        case .tcp:
            guard !decoded.payload.isEmpty, let sequence = decoded.sequence else { return nil }
            let segment = Segment(
                source: decoded.source, sourcePort: decoded.sourcePort, destination: decoded.destination,
                destinationPort: decoded.destinationPort, sequence: sequence)
            if seen.contains(segment) {
                summary.retransmissions += 1
                return nil
            }
            let event = tcp(decoded, packet, &summary)
            if event != nil {
                // Bounded: a long capture starts the set again (a retransmission comes within
                // seconds of its original, long after which it is no longer remembered).
                if seen.count >= 100_000 { seen.removeAll(keepingCapacity: true) }
                seen.insert(segment)
            }
            return event
        }
    }

    private func udp(_ p: DecodedPacket, _ packet: CapturedPacket, _ summary: inout CaptureImportSummary)
        -> RequestEvent?
    {
        if p.destinationPort == 443 || p.sourcePort == 443 {
            summary.quicPackets += 1
            return nil
        }
        let ports = [p.sourcePort, p.destinationPort]
        guard ports.contains(53) || ports.contains(5353) || ports.contains(5355), let message = DNSMessage(p.payload)
        else { return nil }
        if ports.contains(5353) || ports.contains(5355) {
            summary.multicastQueries += 1
            return nil
        }
        if message.isResponse {
            summary.dnsAnswers += message.answers.count
            return nil
        }
        guard p.destinationPort == 53, let question = message.questions.first, !question.name.isEmpty else {
            return nil
        }
        summary.dnsQueries += 1
        return builder.tunnel(
            host: question.name, port: 53, kind: .dnsQuery, source: .capture, client: p.source, time: packet.time)
    }

    private func tcp(_ p: DecodedPacket, _ packet: CapturedPacket, _ summary: inout CaptureImportSummary)
        -> RequestEvent?
    {
        guard !p.payload.isEmpty else { return nil }
        if p.payload.first == 22 {
            switch TLSClientHello.parse(p.payload) {
            case .hello(let hello):
                summary.tlsHellos += 1
                if hello.encryptedClientHello { summary.encryptedHellos += 1 }
                guard let name = hello.serverName else { return nil }
                return builder.tunnel(
                    host: name, port: p.destinationPort, kind: .tlsHello, source: .capture, client: p.source,
                    time: packet.time)
            case .incomplete:
                summary.incompleteHellos += 1
                return nil
            case .notAClientHello:
                return nil
            }
        }
        guard let head = HTTPRequestHead(p.payload) else { return nil }
        summary.httpRequests += 1
        let host =
            head.headers.first { $0.name.lowercased() == "host" }.map {
                HostAndPort(authority: $0.value, defaultPort: 80)?.host ?? $0.value
            }
            ?? p.destination
        return builder.request(
            method: head.method, scheme: "http", host: host, port: p.destinationPort, target: head.target,
            headers: head.headers, source: .capture, client: p.source, time: packet.time)
    }
}
