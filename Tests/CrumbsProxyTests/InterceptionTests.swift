import AsyncHTTPClient
import CrumbsCA
import CrumbsModel
import CrumbsProxy
import Foundation
import NIOCore
import NIOSSL
import Testing

/// `--intercept`: CONNECT tunnels decrypted with leaves from a local CA, origins verified, and the
/// ways it fails (bad origin certificates, garbage, clients that refuse our certificate).
extension EndToEnd {
    @Suite(.timeLimit(.minutes(2)))
    struct InterceptionTests {
        @Test func decryptedRequestsBecomeFullEvents() async throws {
            try await withInterception { setup in
                try await setup.withClient(trusting: setup.crumbsCA) { client in
                    var request = HTTPClientRequest(url: "https://shop.test/cart?visitor=0123456789abcdef")
                    request.headers.add(name: "Cookie", value: "session=s3cr3t-v4lue-xyz; theme=dark")
                    request.headers.add(name: "Referer", value: "https://news.example.com/article")
                    let response = try await client.execute(request, timeout: .seconds(10))
                    let body = try await response.body.collect(upTo: 1 << 16)
                    #expect(response.status == .ok)
                    #expect(String(buffer: body) == "hello from shop.test /cart?visitor=0123456789abcdef")
                    let event = try #require(await setup.proxy.sink.waitFor(count: 1).first)
                    #expect(event.kind == .request && event.intercepted)
                    #expect(event.scheme == "https" && event.host == "shop.test" && event.port == 443)
                    #expect(event.path == "/cart")
                    #expect(event.cookiesSent.map(\.name) == ["session", "theme"])
                    #expect(event.refererSite == "example.com")
                    #expect(event.urlTokens.map(\.name) == ["visitor"])
                    #expect(event.urlTokens.first?.source == .query)
                }
            }
        }

        @Test func withoutAParentTheOriginIsReachedDirectlyInTLS() async throws {
            let origin = try await TLSOrigin.start(direct: true)
            let authority = try CertificateAuthority.generate(hostName: "crumbs-test")
            let settings = InterceptionSettings(
                issuer: try LeafCertificateIssuer(authority: authority),
                additionalTrustRoots: [origin.authority.certificate.certificate], systemTrustRoots: false)
            let proxy: ProxyHarness
            do {
                proxy = try await ProxyHarness.start { configuration in
                    configuration.interception = settings
                    configuration.connectPorts.insert(origin.port)
                }
            } catch {
                await origin.stop()
                throw error
            }
            let setup = InterceptionSetup(origin: origin, proxy: proxy, crumbsAuthority: authority)
            do {
                // An IP literal: our leaf and the origin's certificate both name it in an IP SAN.
                try await setup.withClient(trusting: setup.crumbsCA) { client in
                    let response = try await client.execute(
                        HTTPClientRequest(url: "https://127.0.0.1:\(origin.port)/direct"), timeout: .seconds(10))
                    #expect(
                        String(buffer: try await response.body.collect(upTo: 1 << 16)) == "hello from 127.0.0.1 /direct"
                    )
                }
                let event = try #require(await proxy.sink.waitFor(count: 1).first)
                #expect(event.intercepted && event.host == "127.0.0.1" && event.port == origin.port)
            } catch {
                await proxy.stop()
                await origin.stop()
                throw error
            }
            await proxy.stop()
            await origin.stop()
        }

        @Test func aCookieSyncRedirectIsRecordedAsHashedLocationTokens() async throws {
            try await withInterception { setup in
                try await setup.withClient(trusting: setup.crumbsCA, followRedirects: false) { client in
                    let set = try await client.execute(
                        HTTPClientRequest(url: "https://tracker.test/set"), timeout: .seconds(10))
                    let cookie = try #require(set.headers.first(name: "set-cookie")?.split(separator: ";").first)
                    var sync = HTTPClientRequest(url: "https://tracker.test/sync")
                    sync.headers.add(name: "Cookie", value: String(cookie))
                    let redirect = try await client.execute(sync, timeout: .seconds(10))
                    #expect(redirect.status == .found)
                    let events = await setup.proxy.sink.waitFor(count: 2)
                    let setEvent = try #require(events.first { $0.path == "/set" })
                    let syncEvent = try #require(events.first { $0.path == "/sync" })
                    #expect(setEvent.cookiesSet.map(\.name) == ["uid"])
                    let token = try #require(syncEvent.urlTokens.first { $0.source == .location })
                    #expect(token.host == "sync-partner.test" && token.name == "partner_uid")
                    // Same keyed hash as the cookie: the value is recognised without being stored.
                    #expect(token.valueHash == syncEvent.cookiesSent.first?.valueHash)
                    #expect(token.valueHash == setEvent.cookiesSet.first?.valueHash)
                }
            }
        }

        @Test(arguments: [
            ("expired.test", "certificate expired"), ("wrong.test", "wrong host"), ("unknown.test", "unknown issuer"),
        ])
        func aBadOriginCertificateGets502NamingTheReason(host: String, reason: String) async throws {
            try await withInterception { setup in
                try await setup.withClient(trusting: setup.crumbsCA) { client in
                    let response = try await client.execute(
                        HTTPClientRequest(url: "https://\(host)/"), timeout: .seconds(10))
                    let body = String(buffer: try await response.body.collect(upTo: 1 << 16))
                    #expect(response.status == .badGateway)
                    #expect(body.contains(reason))
                    let event = try #require(await setup.proxy.sink.waitFor(count: 1).first)
                    #expect(event.status == 502 && event.host == host)
                    #expect(event.failure?.contains(reason) == true)
                }
            }
        }

        @Test func garbageInsteadOfAClientHelloClosesTheConnection() async throws {
            try await withInterception { setup in
                let client = try RawClient(port: setup.proxy.port)
                try client.send("CONNECT shop.test:443 HTTP/1.1\r\nHost: shop.test:443\r\n\r\n")
                #expect(client.read(untilContains: "\r\n\r\n").hasPrefix("HTTP/1.1 200"))
                try client.send("GET / HTTP/1.1\r\nHost: shop.test\r\n\r\n")
                #expect(client.peerClosed())
                let event = try #require(await setup.proxy.sink.waitFor(count: 1).first)
                #expect(event.kind == .tunnel && event.host == "shop.test")
                #expect(event.failure?.contains("TLS handshake with the client failed") == true)
            }
        }

        @Test func aClientThatRejectsTheCertificateGetsAPlainTunnelNextTime() async throws {
            try await withInterception { setup in
                // A "pinned" client: it trusts only the origin's real CA, never Crumbs'. Its first
                // handshake fails with an alert; AsyncHTTPClient retries the connection, and the
                // retry gets a plain tunnel to the origin.
                try await setup.withClient(trusting: setup.originCA) { pinned in
                    let response = try await pinned.execute(
                        HTTPClientRequest(url: "https://bank.test/"), timeout: .seconds(10))
                    #expect(String(buffer: try await response.body.collect(upTo: 1 << 16)) == "hello from bank.test /")
                }
                // The tunnel's event is written when the tunnel closes, after the client's shutdown.
                let events = await setup.proxy.sink.waitFor(count: 2)
                #expect(events.first?.failure?.contains("client rejected the interception certificate") == true)
                #expect(events.last?.kind == .tunnel && events.last?.host == "bank.test")
                #expect(events.last?.failure == nil && events.last?.intercepted == false)
            }
        }

        @Test func hostsMatchingNoInterceptStayTunnels() async throws {
            try await withInterception(passThrough: ["*.bank.test"]) { setup in
                try await setup.withClient(trusting: setup.originCA) { client in
                    let response = try await client.execute(
                        HTTPClientRequest(url: "https://www.bank.test/login"), timeout: .seconds(10))
                    #expect(response.status == .ok)
                }
                let event = try #require(await setup.proxy.sink.waitFor(count: 1).first)
                #expect(event.kind == .tunnel && !event.intercepted && event.path == nil)
                #expect(event.host == "www.bank.test" && event.failure == nil)
            }
        }

        @Test func aWebSocketStyleUpgradeInsideTheTunnelIsRelayedInTLS() async throws {
            try await withInterception { setup in
                let client = try await TLSTunnelClient.connect(
                    proxyPort: setup.proxy.port, host: "chat.test", trusting: setup.crumbsCA)
                try await client.write(
                    "GET /socket?room=1 HTTP/1.1\r\nHost: chat.test\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n")
                #expect(try await client.read(untilContains: "\r\n\r\n").hasPrefix("HTTP/1.1 101"))
                try await client.write("ping-through-tls")
                #expect(try await client.read(untilContains: "ping-through-tls").hasSuffix("ping-through-tls"))
                await client.close()
                let event = try #require(await setup.proxy.sink.waitFor(count: 1).first)
                #expect(event.kind == .upgrade && event.scheme == "wss" && event.intercepted)
                #expect(event.host == "chat.test" && event.path == "/socket")
                #expect(event.bytesUp >= 16 && event.bytesDown >= 16)
            }
        }

        @Test func crumbsInternalServesTheCertificateAndInstallSteps() async throws {
            try await withInterception { setup in
                let client = try RawClient(port: setup.proxy.port)
                try client.send("GET http://crumbs.internal/crumbs-ca.pem HTTP/1.1\r\nHost: crumbs.internal\r\n\r\n")
                let pem = client.read(untilContains: "END CERTIFICATE-----")
                #expect(pem.hasPrefix("HTTP/1.1 200"))
                #expect(
                    pem.contains(setup.crumbsAuthority.certificate.pem.trimmingCharacters(in: .whitespacesAndNewlines)))
                try client.send(
                    "GET http://crumbs.internal/ HTTP/1.1\r\nHost: crumbs.internal\r\nConnection: close\r\n\r\n")
                let page = client.readToEnd()
                for step in ["certutil -d sql:", "Certificate Trust", "Firefox", "Android", "Windows", "macOS"] {
                    #expect(page.contains(step))
                }
                #expect(page.contains(setup.crumbsAuthority.certificate.sha256Fingerprint))
                // Nothing addressed to crumbs.internal is ever forwarded or recorded.
                #expect(setup.proxy.sink.events.isEmpty)
            }
        }
    }
}

/// A TLS origin (also the parent proxy), a local CA and an intercepting proxy in front of them.
struct InterceptionSetup {
    let origin: TLSOrigin
    let proxy: ProxyHarness
    let crumbsAuthority: CertificateAuthority
    var crumbsCA: NIOSSLCertificate {
        try! NIOSSLCertificate(bytes: crumbsAuthority.certificate.derBytes, format: .der)
    }
    var originCA: NIOSSLCertificate {
        try! NIOSSLCertificate(bytes: origin.authority.certificate.derBytes, format: .der)
    }

    /// Runs `body` with an HTTPS client going through the proxy (CONNECT) that trusts only `root`.
    func withClient(
        trusting root: NIOSSLCertificate, followRedirects: Bool = true, _ body: (HTTPClient) async throws -> Void
    ) async throws {
        try await withClient(trusting: [root], followRedirects: followRedirects, body)
    }

    /// Runs `body` with an HTTPS client going through the proxy (CONNECT) that trusts `roots`.
    func withClient(
        trusting roots: [NIOSSLCertificate], followRedirects: Bool = true, _ body: (HTTPClient) async throws -> Void
    ) async throws {
        let client = makeClient(trusting: roots, followRedirects: followRedirects)
        do {
            try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    private func makeClient(trusting roots: [NIOSSLCertificate], followRedirects: Bool) -> HTTPClient {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(roots)
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.proxy = .server(host: "127.0.0.1", port: proxy.port)
        configuration.redirectConfiguration = followRedirects ? .follow(max: 3, allowCycles: false) : .disallow
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }
}

func withInterception(
    mode: InterceptionMode = .on, passThrough: [String] = [], _ body: (InterceptionSetup) async throws -> Void
) async throws {
    let origin = try await TLSOrigin.start()
    let authority = try CertificateAuthority.generate(hostName: "crumbs-test")
    let proxy: ProxyHarness
    do {
        let settings = InterceptionSettings(
            mode: mode, issuer: try LeafCertificateIssuer(authority: authority),
            additionalTrustRoots: [origin.authority.certificate.certificate],
            passThrough: passThrough.compactMap(HostPattern.init), systemTrustRoots: false)
        proxy = try await ProxyHarness.start { configuration in
            configuration.interception = settings
            configuration.upstreamProxy = UpstreamProxy(host: "127.0.0.1", port: origin.port)
        }
    } catch {
        await origin.stop()
        throw error
    }
    let setup = InterceptionSetup(origin: origin, proxy: proxy, crumbsAuthority: authority)
    do {
        try await body(setup)
    } catch {
        await proxy.stop()
        await origin.stop()
        throw error
    }
    await proxy.stop()
    await origin.stop()
}
