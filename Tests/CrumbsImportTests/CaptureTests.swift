import CrumbsModel
import CrumbsStore
import Foundation
import Testing

@testable import CrumbsImport

/// Capture files (written by scripts/capturegen.py from raw bytes): the file reader, the link
/// layers, DNS, TLS ClientHello and HTTP heads, `crumbs import` of them, and broken files.
@Suite(.timeLimit(.minutes(2)))
struct CaptureTests {
    static func fixture(_ name: String) -> URL {
        ImportSupport.repository.appendingPathComponent("Tests/Fixtures/Capture/\(name)")
    }

    static func packets(_ name: String) throws -> [CapturedPacket] {
        var reader = try CaptureFileReader(try FileByteSource(path: fixture(name).path), name: name)
        var packets: [CapturedPacket] = []
        while let packet = try reader.next() { packets.append(packet) }
        return packets
    }

    @Test func pcapngWithInterfacesOfDifferentLinkTypesAndTimeResolutions() throws {
        let packets = try Self.packets("household.pcapng")
        #expect(packets.count == 10)
        #expect(packets.map(\.linkType) == [1, 1, 113, 113, 276, 101, 12, 1, 0, 1])
        // Interface 1 (Linux cooked) counts in nanoseconds, interface 0 in microseconds.
        #expect(abs(packets[1].time.timeIntervalSince1970 - 1_714_557_600.0015) < 1e-6)
        #expect(abs(packets[4].time.timeIntervalSince1970 - 1_714_557_602.123456) < 1e-6)
        #expect(packets.map(\.number) == Array(1...10))
    }

    @Test func pcapInBothByteOrdersAndResolutionsReadsTheSame() throws {
        let big = try Self.packets("ethernet-ns-big-endian.pcap")
        let little = try Self.packets("ethernet-us.pcap")
        #expect(big.count == 4 && little.count == 4)
        #expect(big.map(\.bytes) == little.map(\.bytes))
        #expect(abs(big[1].time.timeIntervalSince1970 - 1_714_557_600.0015) < 1e-9)
        #expect(zip(big, little).allSatisfy { abs($0.time.timeIntervalSince($1.time)) < 1e-6 })
    }

    @Test func everyLinkLayerDecodesToItsAddressesAndPorts() throws {
        let decoded = try Self.packets("household.pcapng").map { PacketDecoder.decode($0.bytes, linkType: $0.linkType) }
        func value(_ index: Int) throws -> DecodedPacket { try decoded[index].get() }
        #expect(try value(0).source.description == "192.168.1.20" && value(0).destinationPort == 53)
        #expect(try value(0).sourceMAC?.description == "02:00:00:00:00:1e")
        #expect(try value(1).sourcePort == 53, "VLAN 0 is still a tag")
        #expect(try value(2).transport == .tcp && value(2).destination.description == "198.51.100.7")
        #expect(try value(3).sequence == value(2).sequence, "a retransmission")
        #expect(try value(4).source.description == "2001:db8::20" && value(4).destinationPort == 80)
        #expect(try value(5).destination.description == "224.0.0.251")
        #expect(throws: PacketSkip.self) { try decoded[6].get() }
        if case .failure(let skip) = decoded[6] { #expect(skip == .fragment) }
        #expect(try value(7).destination.description == "198.51.100.9", "QinQ: two tags")
        #expect(try value(8).destinationPort == 443, "BSD loopback")
    }

    @Test func dnsTLSAndHTTPAreRead() throws {
        let packets = try Self.packets("household.pcapng")
        let payload = { (index: Int) in
            try PacketDecoder.decode(packets[index].bytes, linkType: packets[index].linkType).get().payload
        }
        let query = try #require(DNSMessage(try payload(0)))
        #expect(!query.isResponse && query.questions == [DNSMessage.Question(name: "www.news.test", type: 1)])
        let answer = try #require(DNSMessage(try payload(1)))
        #expect(
            answer.answers == [
                DNSMessage.Answer(name: "www.news.test", type: 5, value: "news.cdn-tracker.test"),
                DNSMessage.Answer(name: "news.cdn-tracker.test", type: 1, value: "203.0.113.10"),
            ])
        guard case .hello(let hello) = TLSClientHello.parse(try payload(2)) else {
            Issue.record("no ClientHello")
            return
        }
        #expect(hello.serverName == "tracker.example" && hello.alpn == ["h2", "http/1.1"])
        #expect(hello.versions == [0x0304, 0x0303] && !hello.encryptedClientHello)
        guard case .head(let head) = HTTPHead.parse(try payload(4)) else {
            Issue.record("no HTTP head")
            return
        }
        #expect(head.start == .request(method: "GET", target: "/pixel.gif?uid=12345"))
        let httpPayload = try payload(4)
        #expect(head.value(of: "host") == "px.tracker.test" && head.length == httpPayload.count)
        guard case .hello(let ech) = TLSClientHello.parse(try payload(7)) else { return }
        #expect(ech.encryptedClientHello && ech.serverName == "public.example")
        #expect(TLSClientHello.parse(try payload(8)) == .incomplete)
    }

    @Test func importingACaptureRecordsLookupsServerNamesAndRequests() throws {
        let workspace = try ImportWorkspace()
        let file = try workspace.file("household.cap", contents: Data(contentsOf: Self.fixture("household.pcapng")))
        let output = try workspace.importFiles([file])
        #expect(output.contains("imported 4 events from 10 packets (pcapng)"), "\(output)")
        #expect(output.contains("1 retransmitted segments read once"), "\(output)")
        #expect(output.contains("DNS lookups: 1 (0 unanswered), TLS server names: 2, QUIC server names: 0"))
        #expect(output.contains("plain HTTP requests: 1 (responses: 0)"))
        #expect(output.contains("mDNS/LLMNR (not counted as lookups): 1"))
        #expect(output.contains("1 ClientHellos use Encrypted Client Hello"))
        #expect(
            output.contains("1 hellos or heads unfinished when their stream ended"), "the split hello's end is missing")
        #expect(output.contains("1 fragmented datagrams incomplete"))
        #expect(output.contains("1 QUIC packets past the Initial ones"))
        let events = try workspace.events()
        #expect(events.allSatisfy { $0.source == .capture })
        #expect(events.map(\.host) == ["www.news.test", "tracker.example", "px.tracker.test", "public.example"])
        #expect(events.map(\.kind) == [.dnsQuery, .tlsHello, .request, .tlsHello])
        let http = events[2]
        #expect(http.clientAddress == "2001:db8::20" && http.path == "/pixel.gif" && http.refererSite == "news.test")
        #expect(http.cookiesSent.map(\.name) == ["uid"])
        #expect(!(try workspace.allStoredBytes()).contains("8f3a9c2b7d1e4f60"), "cookie values never stored")
        let imports = try EventStore(path: workspace.database.path).imports()
        #expect(imports.first?.format == "pcapng" && imports.first?.entries == 10)
    }

    @Test func aTruncatedCaptureKeepsWhatCameBeforeAndSaysWhere() throws {
        let workspace = try ImportWorkspace()
        let whole = try Data(contentsOf: Self.fixture("ethernet-us.pcap"))
        let cut = try workspace.file("cut.pcap", contents: whole.prefix(whole.count - 10))
        let run = try workspace.crumbs("import", [cut.path])
        #expect(run.status != 0)
        #expect(run.output.contains("stopped: ") && run.output.contains("cut.pcap: byte 528:"), "\(run.output)")
        #expect(run.output.contains("the file ends inside packet 4"))
        #expect(
            try workspace.events().map(\.host) == ["www.news.test", "public.example"],
            "what came before the break is kept")
    }

    @Test(arguments: [
        (
            "bad-byte-order.pcapng",
            [0x0A, 0x0D, 0x0D, 0x0A, 28, 0, 0, 0, 0x11, 0x22, 0x33, 0x44] + [UInt8](repeating: 0, count: 16),
            "unknown byte-order magic"
        ),
        (
            "huge.pcap",
            [0xD4, 0xC3, 0xB2, 0xA1, 2, 0, 4, 0] + [UInt8](repeating: 0, count: 16) + [
                0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 0, 0, 0, 0,
            ], "claims 2147483647 captured bytes"
        ),
        (
            "short.pcapng",
            [0x0A, 0x0D, 0x0D, 0x0A, 28, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A] + [UInt8](repeating: 0, count: 12) + [
                29, 0, 0, 0,
            ], "trailing length differs"
        ),
    ])
    func brokenCapturesAreClearErrors(name: String, bytes: [UInt8], message: String) throws {
        let workspace = try ImportWorkspace()
        let file = try workspace.file(name, contents: Data(bytes))
        let run = try workspace.crumbs("import", [file.path])
        #expect(run.status != 0)
        #expect((run.output + run.error).contains(message), "\(run.output) \(run.error)")
        #expect((run.output + run.error).contains(name))
    }

    /// Seeded random damage to every fixture: the reader and decoders must answer (packets, an
    /// error), never crash or loop.
    @Test func damagedCapturesNeverCrashTheReaderOrTheDecoders() throws {
        var generator = SplitMix(seed: 20_261_207)
        for name in ["household.pcapng", "ethernet-us.pcap", "ethernet-ns-big-endian.pcap", "streams.pcap"] {
            let original = Array(try Data(contentsOf: Self.fixture(name)))
            for _ in 0..<400 {
                var bytes = original
                for _ in 0..<(1 + Int(generator.next() % 8)) {
                    let index = Int(generator.next() % UInt64(bytes.count))
                    bytes[index] = UInt8(truncatingIfNeeded: generator.next())
                }
                if generator.next() % 4 == 0 { bytes.removeLast(Int(generator.next() % UInt64(bytes.count))) }
                guard var reader = try? CaptureFileReader(MemoryByteSource(bytes), name: name) else { continue }
                var engine = CaptureEngine(builder: CaptureStreamsTests.builder)
                var events: [RequestEvent] = []
                while let packet = try? reader.next() {
                    engine.process(packet, into: &events)
                    if case .success(let decoded) = PacketDecoder.decode(packet.bytes, linkType: packet.linkType) {
                        _ = DNSMessage(decoded.payload)
                        _ = TLSClientHello.parse(decoded.payload)
                        _ = HTTPHead.parse(decoded.payload)
                        _ = QUICInitial.parse(decoded.payload)
                    }
                }
                engine.finish(into: &events)
            }
        }
    }
}

/// A small deterministic random generator (SplitMix64).
struct SplitMix {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
