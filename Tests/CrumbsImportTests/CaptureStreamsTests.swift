import CrumbsIngest
import CrumbsLists
import CrumbsModel
import Foundation
import Testing

@testable import CrumbsImport

/// streams.pcap (scripts/capturegen.py): TCP reassembly, HTTP keep-alive, IP fragments, DNS
/// answers naming flows, CNAME cloaking, QUIC v1 and v2 Initials — checked against what the
/// engine should find, against tshark's own dissection of the same files, and through the CLI.
@Suite(.timeLimit(.minutes(2)))
struct CaptureStreamsTests {
    static let builder = EventBuilder(
        siteResolver: PublicSuffixList.builtIn, keepQuery: false,
        hasher: CookieHasher(secret: Data(repeating: 7, count: 32)))

    static func run(_ name: String) throws -> (events: [RequestEvent], summary: CaptureSummary) {
        var events: [RequestEvent] = []
        let summary = try CaptureImporter(builder: builder).run(
            source: try FileByteSource(path: CaptureTests.fixture(name).path), name: name
        ) { events += $0 }
        return (events.sorted { $0.time < $1.time }, summary)
    }

    @Test func streamsAreReassembledAndEveryProtocolIsRead() throws {
        let (events, summary) = try Self.run("streams.pcap")
        let hosts = events.map { "\($0.kind.rawValue) \($0.host)" }
        #expect(
            hosts == [
                "tlsHello split.example", "request www.shop.test", "request www.shop.test", "request www.shop.test",
                "dnsQuery cdn.video.test", "dnsQuery v6.video.test", "dnsQuery metrics.shop.test",
                "tlsHello metrics.shop.test", "dnsQuery www.news.test", "tlsHello www.news.test",
                "tlsHello quic.example", "tlsHello quic2.example",
            ], "\(hosts)")
        // TCP: the hello came in three segments, out of order, one overlapping.
        #expect(summary.tcp.outOfOrder == 1 && summary.tcp.overlaps >= 1, "\(summary.tcp)")
        #expect(summary.tlsHellos == 3 && summary.quicHellos == 2 && summary.encryptedHellos == 1)
        // HTTP keep-alive: responses paired with their requests; the chunked body is passed
        // over and the HEAD request after it still read.
        let requests = events.filter { $0.kind == .request }
        #expect(requests.map(\.path) == ["/a.js", "/b.png", "/c"])
        #expect(requests.map(\.status) == [200, 200, nil])
        #expect(requests[0].cookiesSent.map(\.name) == ["session"])
        #expect(requests[0].cookiesSet.map(\.name) == ["visitor"] && requests[0].contentType == "text/javascript")
        #expect(abs(requests[0].duration - 0.049) < 0.001)
        #expect(requests[0].refererSite == "shop.test")
        #expect(summary.httpRequests == 3 && summary.httpResponses == 2)
        // Fragments: a three-piece IPv4 answer and a three-piece IPv6 query.
        #expect(summary.fragmentsReassembled == 2 && summary.fragmentsAbandoned == 0)
        #expect(summary.dnsAnswers == 60 + 2 + 1 && summary.unansweredQueries == 1)
        // DNS names the flows that carry no name, and the ECH hello's real destination.
        let unnamed = try #require(events.first { $0.kind == .tlsHello && $0.host == "metrics.shop.test" })
        #expect(unnamed.failure == "host name from the device's DNS lookup (no server name in the hello)")
        #expect(unnamed.detail?.canonicalHost == "shop.eulerian.net")
        let ech = try #require(events.first { $0.host == "www.news.test" && $0.kind == .tlsHello })
        #expect(ech.failure?.contains("outer name cloudflare-ech.test") == true)
        #expect(summary.namedFromDNS == 2)
        // CNAME cloaking: the lookup carries where its chain ends.
        let cloaked = try #require(events.first { $0.kind == .dnsQuery && $0.host == "metrics.shop.test" })
        #expect(cloaked.detail?.canonicalHost == "shop.eulerian.net")
        #expect(summary.cnameRedirections == ["metrics.shop.test": "shop.eulerian.net"])
        // QUIC: both versions; the server's Initial is not a client's and is counted apart.
        #expect(summary.quicOtherPackets == 1 && summary.quicHellosAbandoned == 0)
        #expect(events.allSatisfy { $0.source == .capture })
    }

    /// RFC 9001 appendix A.1 and RFC 9369 appendix A.1: the client's Initial keys for the
    /// connection ID 8394c8f03e515708.
    @Test func initialKeysMatchTheRFCs() {
        let dcid: [UInt8] = [0x83, 0x94, 0xC8, 0xF0, 0x3E, 0x51, 0x57, 0x08]
        func hex(_ key: some ContiguousBytes) -> String {
            key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        }
        let v1 = InitialKeys(version: QUICInitial.version1, destinationConnectionID: dcid)
        #expect(hex(v1.packet) == "1f369613dd76d5467730efcbe3b1a22d")
        #expect(hex(v1.iv) == "fa044b2f42a3fd3b46fb255c")
        #expect(hex(v1.headerProtection) == "9f50449e04a0e810283a1e9933adedd2")
        let v2 = InitialKeys(version: QUICInitial.version2, destinationConnectionID: dcid)
        #expect(hex(v2.packet) == "8b1a0bc121284290a29e0971b5cd045d")
        #expect(hex(v2.iv) == "91f73e2351d8fa91660e909f")
        #expect(hex(v2.headerProtection) == "45b95e15235d6f45a6b19cbcb0294ba9")
    }

    /// What Crumbs reads from every fixture equals what Wireshark's dissectors read from it:
    /// DNS query names, TLS and QUIC server names, HTTP hosts — field by field, frame by frame.
    @Test(arguments: ["streams.pcap", "household.pcapng", "ethernet-us.pcap"])
    func crumbsAgreesWithTshark(name: String) throws {
        let tshark = try #require(
            ["/usr/bin/tshark", "/usr/local/bin/tshark"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "tshark is needed (Debian's tshark; scripts/test installs it)")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = [
            "60", tshark, "-r", CaptureTests.fixture(name).path, "-o", "tcp.reassemble_out_of_order:TRUE", "-T",
            "fields", "-e", "dns.flags.response", "-e", "dns.qry.name", "-e", "tls.handshake.extensions_server_name",
            "-e", "http.host", "-e", "udp.port",
        ]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        var theirs: [String] = []
        for line in output.split(separator: "\n") {
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 5 else { continue }
            // Lookups (not answers, not mDNS/LLMNR), server names, HTTP hosts.
            let multicast = fields[4].split(separator: ",").contains { $0 == "5353" || $0 == "5355" }
            if fields[0] == "0", !fields[1].isEmpty, !multicast { theirs.append("dns \(fields[1])") }
            if !fields[2].isEmpty { theirs.append("sni \(fields[2])") }
            if !fields[3].isEmpty { theirs.append("http \(fields[3])") }
        }
        let (events, _) = try Self.run(name)
        let ours = events.map { event -> String in
            switch event.kind {
            case .dnsQuery: return "dns \(event.host)"
            case .tlsHello:
                // Where DNS named a flow, the flow itself carried another name (or none).
                if event.failure?.contains("outer name") == true {
                    return "sni " + (event.failure!.components(separatedBy: "outer name ").last ?? "")
                }
                let outerOnly = event.failure?.hasPrefix("Encrypted Client Hello: outer server name") == true
                return event.failure == nil || outerOnly ? "sni \(event.host)" : "no name"
            default: return "http \(event.host)"
            }
        }.filter { $0 != "no name" }
        #expect(ours.sorted() == theirs.sorted(), "ours: \(ours.sorted())\ntshark: \(theirs.sorted())")
    }
}

/// `crumbs import` of streams.pcap: CNAME cloaking named in the summary and stored as the
/// tracker's event, cookie values never on disk.
@Suite(.timeLimit(.minutes(2)))
struct CaptureImportCommandTests {
    @Test func cnameCloakingIsReportedAndStoredAsTheTracker() throws {
        let workspace = try ImportWorkspace()
        let file = try workspace.file(
            "streams.pcap", contents: Data(contentsOf: CaptureTests.fixture("streams.pcap")))
        let output = try workspace.importFiles([file])
        #expect(output.contains("CNAME cloaking: metrics.shop.test → shop.eulerian.net"), "\(output)")
        #expect(output.contains("QUIC server names: 2") && output.contains("2 IP datagrams reassembled"))
        #expect(output.contains("2 flows named from the device's own DNS answers"))
        let events = try workspace.events()
        let cloaked = events.filter { $0.failure == "CNAME cloaking: looked up as metrics.shop.test" }
        #expect(cloaked.count == 2, "the lookup and the hello that followed it")
        #expect(cloaked.allSatisfy { $0.host == "shop.eulerian.net" && $0.classification?.isTracker == true })
        #expect(cloaked.allSatisfy { $0.classification?.ruleLocation?.hasPrefix("CNAME metrics.shop.test") == true })
        let bytes = try workspace.allStoredBytes()
        for value in ["abcdef0123456789", "v-0123456789abcdef"] {
            #expect(bytes.range(of: Data(value.utf8)) == nil, "cookie value \(value) stored")
        }
    }
}

/// Addresses as integers: their text is the one every event and report uses.
struct IPAddressTests {
    @Test(arguments: ["192.168.1.20", "0.0.0.0", "255.255.255.255", "2001:db8::20", "::1", "::", "fe80::1:0:0:1"])
    func textRoundTrips(text: String) throws {
        let address = try #require(IPAddress(text))
        #expect(address.description == text)
        #expect(address.isIPv4 == !text.contains(":"))
    }

    @Test func v4AndItsMappedV6AreDifferentAndBadTextIsNil() {
        #expect(IPAddress("10.0.0.1") != IPAddress("::ffff:10.0.0.1"))
        #expect(IPAddress("10.0.0.256") == nil && IPAddress("host.example") == nil && IPAddress("") == nil)
    }
}

/// `--device-by mac`: a device is its Ethernet address where the link layer has one.
struct CaptureDeviceIdentityTests {
    @Test func macAddressesNameDevicesWhereTheLinkLayerHasThem() throws {
        var events: [RequestEvent] = []
        let summary = try CaptureImporter(
            builder: CaptureStreamsTests.builder, options: .init(deviceIdentity: .mac)
        ).run(source: try FileByteSource(path: CaptureTests.fixture("household.pcapng").path), name: "household") {
            events += $0
        }
        #expect(summary.events == events.count)
        // Ethernet frames carry the device's address; Linux cooked and raw IP frames do not.
        let byHost = Dictionary(events.map { ($0.host, $0.clientAddress) }, uniquingKeysWith: { first, _ in first })
        #expect(byHost["www.news.test"] == "02:00:00:00:00:1e")
        #expect(byHost["public.example"] == "02:00:00:00:00:1e")
        #expect(byHost["tracker.example"] == "192.168.1.20", "Linux cooked: no MAC, the address")
    }
}
