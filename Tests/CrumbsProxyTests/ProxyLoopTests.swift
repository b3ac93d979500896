import CrumbsCA
import CrumbsProxy
import Foundation
import NIOSSL
import Testing

extension EndToEnd {
    /// Two proxies that name each other as `--upstream`: a CONNECT goes round once, is recognised
    /// by the Via chain it carries, and is refused; it does not multiply into thousands of events.
    @Suite(.timeLimit(.minutes(1)))
    struct ProxyLoopTests {
        @Test(arguments: [false, true])
        func aConnectLoopBetweenTwoProxiesIsRefusedAtOnce(intercepting: Bool) async throws {
            let (portA, portB) = (try await unusedPort(), try await unusedPort())
            let authority = try CertificateAuthority.generate(hostName: "crumbs-test")
            func configure(_ configuration: inout ProxyConfiguration, listen: Int, parent: Int) {
                configuration.listenPort = listen
                configuration.upstreamProxy = UpstreamProxy(host: "127.0.0.1", port: parent)
                configuration.upstreamTimeout = .seconds(5)
                if intercepting {
                    configuration.interception = InterceptionSettings(
                        issuer: try! LeafCertificateIssuer(authority: authority),
                        // Each trusts the other's leaves, so only the Via chain can stop the loop.
                        additionalTrustRoots: [authority.certificate.certificate], systemTrustRoots: false)
                }
            }
            let proxyA = try await ProxyHarness.start { configure(&$0, listen: portA, parent: portB) }
            let proxyB = try await ProxyHarness.start { configure(&$0, listen: portB, parent: portA) }
            let started = ContinuousClock.now
            let answer: String
            if intercepting {
                // A answers the CONNECT itself; the loop starts when a request inside needs the origin.
                let root = try NIOSSLCertificate(bytes: authority.certificate.derBytes, format: .der)
                let client = try await TLSTunnelClient.connect(
                    proxyPort: proxyA.port, host: "shop.test", trusting: root)
                try await client.write("GET / HTTP/1.1\r\nHost: shop.test\r\n\r\n")
                answer = try await client.read(untilContains: "\r\n\r\n", seconds: 10)
                await client.close()
            } else {
                let client = try RawClient(port: proxyA.port)
                try client.send("CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\n\r\n")
                answer = client.read(untilContains: "\r\n\r\n", seconds: 10)
                client.close()
            }
            let waited = ContinuousClock.now - started
            #expect(answer.hasPrefix("HTTP/1.1 502"), "answer: \(answer)")
            try await Task.sleep(for: .milliseconds(300))
            let total = proxyA.sink.events.count + proxyB.sink.events.count
            await proxyA.stop()
            await proxyB.stop()
            #expect(waited < .seconds(3), "waited \(waited)")
            #expect(total <= 4, "the loop went on: \(total) events")
            let refused = (proxyA.sink.events + proxyB.sink.events).contains {
                $0.failure?.contains("508 Loop Detected") == true
            }
            #expect(refused, "no event says the loop was refused: \(proxyA.sink.events + proxyB.sink.events)")
        }
    }
}
