import CrumbsIngest
import CrumbsModel
import Foundation

/// Turns captured packets — from a file or a live interface — into events of the one pipeline
/// (`source = capture`): DNS lookups (with their CNAME chains), TLS and QUIC ClientHello server
/// names, plain HTTP requests with their responses. Nothing is decrypted but QUIC Initials, whose
/// keys anyone can derive; payloads beyond those headers are never kept.
public struct CaptureEngine {
    public enum DeviceIdentity: String, Sendable, CaseIterable {
        /// The client's IP address (as the proxy records it).
        case address
        /// The client's Ethernet address where the link layer has one (one device, whatever
        /// IPv4 and IPv6 addresses it uses), else its IP address.
        case mac
    }

    public struct Options: Sendable {
        public var deviceIdentity: DeviceIdentity
        /// Packets from or to these addresses are not read (`crumbs run --capture`: this machine's
        /// own addresses, whose traffic the proxy records itself).
        public var excludedAddresses: Set<String>

        public init(deviceIdentity: DeviceIdentity = .address, excludedAddresses: Set<String> = []) {
            self.deviceIdentity = deviceIdentity
            self.excludedAddresses = excludedAddresses
        }
    }

    let builder: EventBuilder
    let options: Options
    private let excluded: Set<IPAddress>
    public private(set) var summary = CaptureSummary()
    private var fragments = FragmentReassembler()
    private var streams = TCPStreams()
    private var quic = QUICHellos()
    private var dns = DNSObserver()
    /// Plain HTTP requests waiting for their response, by the direction they were sent in.
    private var awaitingResponse: [TCPStreams.DirectionKey: [RequestEvent]] = [:]
    private var lastSweep: Date?

    public init(builder: EventBuilder, options: Options = Options()) {
        self.builder = builder
        self.options = options
        excluded = Set(options.excludedAddresses.compactMap(IPAddress.init))
    }

    /// Reads one packet; the events it completes are appended to `events`.
    public mutating func process(_ packet: CapturedPacket, into events: inout [RequestEvent]) {
        summary.packets += 1
        let network: NetworkPacket
        switch PacketDecoder.network(packet.bytes, linkType: packet.linkType) {
        case .success(let value): network = value
        case .failure(let skip):
            summary.skipped[skip, default: 0] += 1
            return
        }
        if !excluded.isEmpty, excluded.contains(network.source) || excluded.contains(network.destination) {
            summary.excluded += 1
            return
        }
        guard let whole = fragments.add(network, at: packet.time) else { return }
        let decoded: DecodedPacket
        switch PacketDecoder.transport(of: whole) {
        case .success(let value): decoded = value
        case .failure(let skip):
            summary.skipped[skip, default: 0] += 1
            return
        }
        let before = events.count
        switch decoded.transport {
        case .udp: udp(decoded, time: packet.time, into: &events)
        case .tcp: tcp(decoded, time: packet.time, into: &events)
        }
        sweep(at: packet.time, into: &events)
        summary.events += events.count - before
    }

    /// The capture ended: what still waits (unanswered lookups, requests without a response) is
    /// reported as it stands.
    public mutating func finish(into events: inout [RequestEvent]) {
        let before = events.count
        var lookups: [DNSObserver.Lookup] = []
        dns.finish(into: &lookups)
        emit(lookups, into: &events)
        for (_, requests) in awaitingResponse { events += requests }
        awaitingResponse.removeAll()
        streams.finish()
        fragments.finish()
        quic.finish()
        summary.tcp = streams.counters
        summary.fragmentsReassembled = fragments.reassembled
        summary.fragmentsAbandoned = fragments.abandoned
        summary.quicHellosAbandoned = quic.abandoned
        summary.events += events.count - before
    }

    private func device(_ packet: DecodedPacket) -> String {
        (options.deviceIdentity == .mac ? packet.sourceMAC?.description : nil) ?? packet.source.description
    }

    // MARK: - UDP: DNS and QUIC

    private mutating func udp(_ p: DecodedPacket, time: Date, into events: inout [RequestEvent]) {
        let ports = (p.sourcePort, p.destinationPort)
        if [5353, 5355].contains(ports.0) || [5353, 5355].contains(ports.1) {
            if DNSMessage(p.payload) != nil { summary.multicastQueries += 1 }
            return
        }
        if ports.0 == 53 || ports.1 == 53 {
            guard let message = DNSMessage(p.payload) else { return }
            var lookups: [DNSObserver.Lookup] = []
            if message.isResponse, ports.0 == 53 {
                summary.dnsAnswers += message.answers.count
                dns.answer(
                    message, client: p.destination.description, clientPort: p.destinationPort,
                    device: p.destination.description, at: time,
                    into: &lookups)
            } else if !message.isResponse, ports.1 == 53 {
                dns.query(
                    message, client: p.source.description, clientPort: p.sourcePort, device: device(p), at: time,
                    into: &lookups)
            }
            emit(lookups, into: &events)
            return
        }
        quicInitial(p, time: time, into: &events)
    }

    private mutating func quicInitial(_ p: DecodedPacket, time: Date, into events: inout [RequestEvent]) {
        // A client's first flight is padded to at least 1,200 bytes (RFC 9000 §14.1).
        guard p.payload.count >= 1_200, let first = p.payload.first, first & 0xC0 == 0xC0 else {
            if p.payload.first.map({ $0 & 0x40 != 0 }) == true, p.sourcePort == 443 || p.destinationPort == 443 {
                summary.quicOtherPackets += 1
            }
            return
        }
        guard case .success(let initial) = QUICInitial.parse(p.payload) else {
            summary.quicOtherPackets += 1
            return
        }
        let flow = QUICHellos.Flow(
            client: p.source, clientPort: p.sourcePort, server: p.destination, serverPort: p.destinationPort,
            connectionID: initial.destinationConnectionID)
        guard case .hello(let hello) = quic.add(initial, flow: flow, at: time) else { return }
        summary.quicHellos += 1
        events.append(helloEvent(hello, p, time: time))
    }

    private mutating func emit(_ lookups: [DNSObserver.Lookup], into events: inout [RequestEvent]) {
        for lookup in lookups {
            summary.dnsQueries += 1
            if !lookup.answered { summary.unansweredQueries += 1 }
            var event = builder.tunnel(
                host: lookup.name, port: 53, kind: .dnsQuery, source: .capture, client: lookup.device,
                time: lookup.time)
            if let canonical = lookup.canonicalName,
                builder.site(ofHost: canonical) != builder.site(ofHost: lookup.name)
            {
                event.detail = RequestEvent.Detail(canonicalHost: canonical)
                if summary.cnameRedirections.count < 1_000 { summary.cnameRedirections[lookup.name] = canonical }
            }
            events.append(event)
        }
    }

    // MARK: - TCP: TLS and HTTP

    private mutating func tcp(_ p: DecodedPacket, time: Date, into events: inout [RequestEvent]) {
        var messages: [TCPMessage] = []
        streams.add(p, at: time, into: &messages)
        for message in messages {
            switch message.content {
            case .clientHello(let hello):
                summary.tlsHellos += 1
                events.append(helloEvent(hello, p, time: message.time))
            case .http(let head):
                http(head, message: message, packet: p, into: &events)
            }
        }
        // The server closed or reset: requests still waiting will get no response.
        if p.tcpFlags & 0x05 != 0 {
            let key = TCPStreams.DirectionKey(
                from: .init(address: p.destination, port: p.destinationPort),
                to: .init(address: p.source, port: p.sourcePort))
            if let waiting = awaitingResponse.removeValue(forKey: key) { events += waiting }
        }
    }

    private mutating func http(
        _ head: HTTPHead, message: TCPMessage, packet p: DecodedPacket, into events: inout [RequestEvent]
    ) {
        switch head.start {
        case .request(let method, let target):
            summary.httpRequests += 1
            let server = message.direction.to
            var note: String?
            var host = head.value(of: "Host").map { HostAndPort(authority: $0, defaultPort: 80)?.host ?? $0 }
            if host == nil {
                host = dns.name(for: server.address.description, client: message.direction.from.address.description)
                if host != nil {
                    note = "host name from the device's DNS lookup (no Host header)"
                    summary.namedFromDNS += 1
                }
            }
            var event = builder.request(
                method: method, scheme: "http", host: host ?? server.address.description, port: server.port,
                target: target,
                headers: head.headers, source: .capture, client: device(p), time: message.time)
            event.failure = note
            cloakingCheck(&event, client: message.direction.from.address.description)
            var queue = awaitingResponse[message.direction] ?? []
            // A client that never gets answers: its oldest requests go out as they are.
            if queue.count >= 32 { events.append(queue.removeFirst()) }
            queue.append(event)
            awaitingResponse[message.direction] = queue
        case .response(let status):
            summary.httpResponses += 1
            guard status >= 200, var queue = awaitingResponse[message.direction.reversed], !queue.isEmpty else {
                return
            }
            var event = queue.removeFirst()
            awaitingResponse[message.direction.reversed] = queue.isEmpty ? nil : queue
            builder.addResponse(status: status, headers: head.headers, to: &event, time: message.time)
            event.duration = max(0, message.time.timeIntervalSince(event.time))
            events.append(event)
        }
    }

    /// A TLS or QUIC ClientHello's event: its server name, or the name the device looked up for
    /// the server's address, or the address; an Encrypted Client Hello says its name is the outer one.
    private mutating func helloEvent(_ hello: TLSClientHello, _ p: DecodedPacket, time: Date) -> RequestEvent {
        let client = p.source.description
        let looked = dns.name(for: p.destination.description, client: client)
        var host = hello.serverName
        var note: String?
        if hello.encryptedClientHello {
            summary.encryptedHellos += 1
            if let looked {
                host = looked
                note =
                    "Encrypted Client Hello: destination from the device's DNS lookup; outer name "
                    + (hello.serverName ?? "none")
            } else {
                note = "Encrypted Client Hello: outer server name, not the destination"
            }
        } else if host == nil, let looked {
            host = looked
            note = "host name from the device's DNS lookup (no server name in the hello)"
        }
        if note != nil, looked != nil, host == looked { summary.namedFromDNS += 1 }
        var event = builder.tunnel(
            host: host ?? p.destination.description, port: p.destinationPort, kind: .tlsHello, source: .capture,
            client: device(p), time: time)
        event.failure = note
        cloakingCheck(&event, client: client)
        return event
    }

    /// A flow to a name whose CNAME chain ends on another site is judged by that name too (a
    /// tracker behind a first-party name: CNAME cloaking).
    private func cloakingCheck(_ event: inout RequestEvent, client: String) {
        guard let canonical = dns.canonicalName(of: event.host, client: client) else { return }
        var detail = event.detail ?? RequestEvent.Detail()
        detail.canonicalHost = canonical
        event.detail = detail
    }

    // MARK: - Housekeeping

    /// Every ten seconds of capture time: lookups past their answer timeout are reported, idle
    /// streams and requests without responses after two minutes are let go.
    private mutating func sweep(at time: Date, into events: inout [RequestEvent]) {
        guard let last = lastSweep else {
            lastSweep = time
            return
        }
        guard time.timeIntervalSince(last) >= 10 else { return }
        lastSweep = time
        var lookups: [DNSObserver.Lookup] = []
        dns.flush(before: time, into: &lookups)
        emit(lookups, into: &events)
        let cutoff = time.addingTimeInterval(-120)
        for (key, queue) in awaitingResponse where queue.last.map({ $0.time < cutoff }) ?? true {
            events += queue
            awaitingResponse[key] = nil
        }
        streams.expire(before: cutoff)
        fragments.expire(before: time.addingTimeInterval(-fragments.timeout))
        quic.expire(before: time.addingTimeInterval(-30))
        summary.tcp = streams.counters
    }
}
