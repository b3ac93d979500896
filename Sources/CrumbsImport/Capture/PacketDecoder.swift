/// The transport-level view of a captured frame: addresses, ports and payload, through the
/// link layers and IP versions Crumbs reads.
public struct DecodedPacket: Sendable, Equatable {
    public enum Transport: Sendable, Equatable { case udp, tcp }

    public var source: IPAddress
    public var destination: IPAddress
    public var transport: Transport
    public var sourcePort: Int
    public var destinationPort: Int
    public var payload: ArraySlice<UInt8>
    /// The Ethernet source address, when the link layer has one.
    public var sourceMAC: MACAddress?
    /// TCP's sequence number (for reassembly); nil for UDP.
    public var sequence: UInt32? = nil
    /// TCP's flags byte (SYN 0x02, FIN 0x01, RST 0x04); 0 for UDP.
    public var tcpFlags: UInt8 = 0
}

/// An IP packet (or fragment) before its transport header is read.
public struct NetworkPacket: Sendable, Equatable {
    /// Where a fragment belongs: the datagram it is a piece of, and where it goes in it.
    public struct Fragment: Sendable, Equatable {
        public struct Key: Hashable, Sendable {
            public var source: IPAddress
            public var destination: IPAddress
            public var protocolNumber: Int
            public var identification: UInt32
        }
        public var key: Key
        /// Offset of this piece in the datagram's payload, in bytes.
        public var offset: Int
        public var moreFollow: Bool
    }

    public var source: IPAddress
    public var destination: IPAddress
    public var protocolNumber: Int
    /// The IP payload (the transport header and data), or this fragment's piece of it.
    public var payload: ArraySlice<UInt8>
    public var sourceMAC: MACAddress?
    public var fragment: Fragment?
}

/// Why a frame gave no transport payload. Counted, never fatal: a capture holds ARP, ICMP and
/// frames cut by the snaplen among the packets Crumbs reads.
public enum PacketSkip: String, Error, Sendable, CaseIterable {
    case unsupportedLinkType, notIP, notTCPOrUDP, fragment, truncated
}

public enum PacketDecoder {
    /// Decodes `bytes` of link type `linkType` (tcpdump.org LINKTYPE_ values) down to the
    /// transport; a fragment is `.fragment` (the capture engine reassembles them with `network`).
    public static func decode(_ bytes: [UInt8], linkType: Int) -> Result<DecodedPacket, PacketSkip> {
        network(bytes, linkType: linkType).flatMap { packet in
            packet.fragment == nil ? transport(of: packet) : .failure(.fragment)
        }
    }

    /// Reads the transport header of an unfragmented (or reassembled) packet.
    public static func transport(of packet: NetworkPacket) -> Result<DecodedPacket, PacketSkip> {
        transport(
            protocol: packet.protocolNumber, packet.payload, source: packet.source, destination: packet.destination,
            mac: packet.sourceMAC)
    }

    /// Decodes the link layer and the IP header of `bytes`.
    public static func network(_ bytes: [UInt8], linkType: Int) -> Result<NetworkPacket, PacketSkip> {
        var mac: MACAddress?
        let network: ArraySlice<UInt8>
        var etherType: Int?
        switch linkType {
        case 0:  // BSD loopback/NULL: a 4-byte address family in the capturing host's byte order
            guard bytes.count >= 4 else { return .failure(.truncated) }
            let family = bytes[0] == 0 && bytes[1] == 0 ? Int(bytes[3]) : Int(bytes[0])
            guard [2, 24, 28, 30].contains(family) else { return .failure(.notIP) }
            network = bytes[4...]
        case 1:  // Ethernet, with any number of 802.1Q / 802.1ad tags (VLAN 0 is still a tag)
            guard bytes.count >= 14 else { return .failure(.truncated) }
            mac = MACAddress(bytes[6..<12])
            var position = 12
            var type = Int(bytes[12]) << 8 | Int(bytes[13])
            while [0x8100, 0x88A8, 0x9100].contains(type) {
                position += 4
                guard bytes.count >= position + 2 else { return .failure(.truncated) }
                type = Int(bytes[position]) << 8 | Int(bytes[position + 1])
            }
            etherType = type
            network = bytes[(position + 2)...]
        case 12, 14, 101:  // raw IP (the version nibble tells 4 from 6)
            network = bytes[...]
        case 113:  // Linux cooked capture v1: protocol at 14
            guard bytes.count >= 16 else { return .failure(.truncated) }
            etherType = Int(bytes[14]) << 8 | Int(bytes[15])
            network = bytes[16...]
        case 276:  // Linux cooked capture v2: protocol first
            guard bytes.count >= 20 else { return .failure(.truncated) }
            etherType = Int(bytes[0]) << 8 | Int(bytes[1])
            network = bytes[20...]
        default:
            return .failure(.unsupportedLinkType)
        }
        if let etherType, etherType != 0x0800, etherType != 0x86DD { return .failure(.notIP) }
        guard let first = network.first else { return .failure(.truncated) }
        switch first >> 4 {
        case 4: return ipv4(network, mac: mac)
        case 6: return ipv6(network, mac: mac)
        default: return .failure(.notIP)
        }
    }

    static func ipv4(_ packet: ArraySlice<UInt8>, mac: MACAddress?) -> Result<NetworkPacket, PacketSkip> {
        let base = packet.startIndex
        guard packet.count >= 20 else { return .failure(.truncated) }
        let headerLength = Int(packet[base] & 0x0F) * 4
        let totalLength = Int(packet[base + 2]) << 8 | Int(packet[base + 3])
        guard headerLength >= 20, packet.count >= headerLength else { return .failure(.truncated) }
        let flagsAndOffset = Int(packet[base + 6]) << 8 | Int(packet[base + 7])
        let source = IPAddress(ipv4: packet[(base + 12)..<(base + 16)])
        let destination = IPAddress(ipv4: packet[(base + 16)..<(base + 20)])
        let protocolNumber = Int(packet[base + 9])
        // The snaplen may have cut the packet: take what is there, up to the IP length.
        let end = min(packet.endIndex, base + max(totalLength, headerLength))
        var fragment: NetworkPacket.Fragment?
        // More fragments follow, or this is not the first piece.
        if flagsAndOffset & 0x2000 != 0 || flagsAndOffset & 0x1FFF != 0 {
            let identification = UInt32(packet[base + 4]) << 8 | UInt32(packet[base + 5])
            fragment = .init(
                key: .init(
                    source: source, destination: destination, protocolNumber: protocolNumber,
                    identification: identification),
                offset: (flagsAndOffset & 0x1FFF) * 8, moreFollow: flagsAndOffset & 0x2000 != 0)
        }
        return .success(
            NetworkPacket(
                source: source, destination: destination, protocolNumber: protocolNumber,
                payload: packet[(base + headerLength)..<end], sourceMAC: mac, fragment: fragment))
    }

    static func ipv6(_ packet: ArraySlice<UInt8>, mac: MACAddress?) -> Result<NetworkPacket, PacketSkip> {
        let base = packet.startIndex
        guard packet.count >= 40 else { return .failure(.truncated) }
        let payloadLength = Int(packet[base + 4]) << 8 | Int(packet[base + 5])
        var next = Int(packet[base + 6])
        let source = IPAddress(ipv6: packet[(base + 8)..<(base + 24)])
        let destination = IPAddress(ipv6: packet[(base + 24)..<(base + 40)])
        var position = base + 40
        let end = min(packet.endIndex, base + 40 + payloadLength)
        var fragment: NetworkPacket.Fragment?
        // Extension headers: hop-by-hop, routing, destination options, fragment.
        while [0, 43, 60, 44].contains(next) {
            guard position + 8 <= end else { return .failure(.truncated) }
            if next == 44 {
                let offsetAndMore = Int(packet[position + 2]) << 8 | Int(packet[position + 3])
                next = Int(packet[position])
                // An atomic fragment (offset 0, no more) is a whole packet.
                if offsetAndMore & 0xFFF9 != 0 {
                    let identification = packet[(position + 4)..<(position + 8)].reduce(UInt32(0)) {
                        $0 << 8 | UInt32($1)
                    }
                    fragment = .init(
                        key: .init(
                            source: source, destination: destination, protocolNumber: next,
                            identification: identification),
                        offset: offsetAndMore & 0xFFF8, moreFollow: offsetAndMore & 1 != 0)
                }
                position += 8
                continue
            }
            let length = (Int(packet[position + 1]) + 1) * 8
            next = Int(packet[position])
            position += length
        }
        guard position <= end else { return .failure(.truncated) }
        return .success(
            NetworkPacket(
                source: source, destination: destination, protocolNumber: next, payload: packet[position..<end],
                sourceMAC: mac, fragment: fragment))
    }

    static func transport(
        protocol number: Int, _ segment: ArraySlice<UInt8>, source: IPAddress, destination: IPAddress,
        mac: MACAddress?
    ) -> Result<DecodedPacket, PacketSkip> {
        let base = segment.startIndex
        let ports = {
            (segment.count >= 4)
                ? (
                    Int(segment[base]) << 8 | Int(segment[base + 1]),
                    Int(segment[base + 2]) << 8 | Int(segment[base + 3])
                ) : (0, 0)
        }
        switch number {
        case 17:
            guard segment.count >= 8 else { return .failure(.truncated) }
            let (from, to) = ports()
            return .success(
                DecodedPacket(
                    source: source, destination: destination, transport: .udp, sourcePort: from,
                    destinationPort: to, payload: segment[(base + 8)...], sourceMAC: mac))
        case 6:
            guard segment.count >= 20 else { return .failure(.truncated) }
            let offset = Int(segment[base + 12] >> 4) * 4
            guard offset >= 20, segment.count >= offset else { return .failure(.truncated) }
            let (from, to) = ports()
            let sequence = segment[(base + 4)..<(base + 8)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            return .success(
                DecodedPacket(
                    source: source, destination: destination, transport: .tcp, sourcePort: from,
                    destinationPort: to, payload: segment[(base + offset)...], sourceMAC: mac, sequence: sequence,
                    tcpFlags: segment[base + 13]))
        default:
            return .failure(.notTCPOrUDP)
        }
    }

    /// RFC 5952 text: lower case, leading zeros dropped, the longest run of zero groups as `::`.
    static func ipv6Text(_ bytes: ArraySlice<UInt8>) -> String {
        let base = bytes.startIndex
        let groups = (0..<8).map { Int(bytes[base + 2 * $0]) << 8 | Int(bytes[base + 2 * $0 + 1]) }
        var best = (start: -1, length: 0)
        var run = (start: -1, length: 0)
        for (index, group) in groups.enumerated() {
            if group == 0 {
                run = run.start < 0 ? (index, 1) : (run.start, run.length + 1)
                if run.length > best.length { best = run }
            } else {
                run = (-1, 0)
            }
        }
        let text = groups.map { String($0, radix: 16) }
        guard best.length >= 2 else { return text.joined(separator: ":") }
        let head = text[0..<best.start].joined(separator: ":")
        let tail = text[(best.start + best.length)...].joined(separator: ":")
        return head + "::" + tail
    }
}
