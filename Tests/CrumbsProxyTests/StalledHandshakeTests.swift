import AsyncHTTPClient
import CrumbsCA
import CrumbsProxy
import Foundation
import NIOCore
import NIOSSL
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Peers that stall half-way through a TLS handshake cost a bounded wait, give the client an
/// answer, and leave an event that names the phase.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(2)))
    struct StalledHandshakeTests {
        @Test func anOriginThatNeverAnswersTheClientHelloGivesA504NamingThePhase() async throws {
            let silent = try SilentListener()
            defer { silent.close() }
            let authority = try CertificateAuthority.generate(hostName: "crumbs-test")
            let proxy = try await ProxyHarness.start { configuration in
                configuration.interception = InterceptionSettings(
                    issuer: try! LeafCertificateIssuer(authority: authority), systemTrustRoots: false)
                configuration.connectPorts.insert(silent.port)
                configuration.upstreamTimeout = .seconds(1)
            }
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: authority.certificate.derBytes, format: .der)])
            var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
            configuration.proxy = .server(host: "127.0.0.1", port: proxy.port)
            let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
            let started = ContinuousClock.now
            let response = try? await client.execute(
                HTTPClientRequest(url: "https://127.0.0.1:\(silent.port)/"), timeout: .seconds(10))
            let waited = ContinuousClock.now - started
            try? await client.shutdown()
            let events = await proxy.sink.waitFor(count: 1)
            await proxy.stop()
            #expect(response?.status == .gatewayTimeout)
            #expect(waited < .seconds(5), "waited \(waited)")
            let failure = events.first?.failure ?? ""
            #expect(
                failure.contains("the TLS handshake with the origin did not complete within 1 s"), "events: \(events)")
        }

        @Test func aClientThatNeverStartsTLSAfterTheConnectIsClosedAndRecorded() async throws {
            let authority = try CertificateAuthority.generate(hostName: "crumbs-test")
            let proxy = try await ProxyHarness.start { configuration in
                configuration.interception = InterceptionSettings(
                    issuer: try! LeafCertificateIssuer(authority: authority), systemTrustRoots: false)
                configuration.idleTimeout = .seconds(1)
            }
            let client = try RawClient(port: proxy.port)
            try client.send("CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\n\r\n")
            #expect(client.read(untilContains: "\r\n\r\n").hasPrefix("HTTP/1.1 200"))
            // No ClientHello: the proxy gives up after the timeout and closes.
            #expect(client.peerClosed(seconds: 5))
            let events = await proxy.sink.waitFor(count: 1)
            await proxy.stop()
            #expect(
                events.first?.failure == "the TLS handshake with the client did not complete within 1 s",
                "events: \(events)")
        }
    }
}

/// A TCP listener that never accepts: the kernel completes connections into its backlog, and
/// then nobody says a word — an origin hung after `listen()`.
struct SilentListener {
    let descriptor: Int32
    let port: Int

    init() throws {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.descriptor = descriptor
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(descriptor, 16) == 0 else { throw RawClientError("silent listener: errno \(errno)") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { Glibc.close(descriptor) }
}
