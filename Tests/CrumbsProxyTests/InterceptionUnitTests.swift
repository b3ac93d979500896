import CrumbsCA
import CrumbsModel
import Foundation
import Testing
import X509

@testable import CrumbsProxy

struct InterceptionUnitTests {
    @Test func hostPatternsMatchHostsAndSubdomainsAsWritten() throws {
        let domain = try #require(HostPattern("Bank.Example."))
        #expect(domain.matches("bank.example") && domain.matches("www.bank.example"))
        #expect(!domain.matches("notbank.example") && !domain.matches("bank.example.evil"))
        let subdomains = try #require(HostPattern("*.bank.example"))
        #expect(subdomains.matches("www.bank.example") && !subdomains.matches("bank.example"))
        #expect(HostPattern("*")?.matches("anything.example") == true)
        for bad in ["", "*.", "https://bank.example", "bank.example/path", "a b", "host:443"] {
            #expect(HostPattern(bad) == nil, "\(bad) should be refused")
        }
    }

    @Test func verifierReasonsNameExpiryWrongHostAndUnknownIssuer() throws {
        let authority = try CertificateAuthority.generate(hostName: "unit")
        let leaf = try LeafCertificateIssuer(authority: authority).certificate(for: "other.example").certificate
        let expired = UpstreamVerifier.reason(
            ["RFC5280Policy: Certificate X has expired"], leaf: leaf, host: "shop.example")
        #expect(expired.hasPrefix("certificate expired"))
        let wrong = UpstreamVerifier.reason(
            ["None of the names in SAN extension matched: [other.example]"], leaf: leaf, host: "shop.example")
        #expect(wrong.hasPrefix("wrong host") && wrong.contains("other.example"))
        #expect(UpstreamVerifier.reason([], leaf: leaf, host: "shop.example").hasPrefix("unknown issuer"))
        #expect(UpstreamVerifier.reason(["something else"], leaf: leaf, host: "x").contains("something else"))
    }

    @Test func rejectedHostsAreForgottenWhenTheirTimeRunsOut() async throws {
        let hosts = RejectedHosts(duration: .milliseconds(50))
        hosts.remember("Pinned.Example", client: "127.0.0.1")
        #expect(hosts.contains("pinned.example", client: "127.0.0.1"))
        #expect(!hosts.contains("pinned.example", client: "127.0.0.2"), "another client still gets interception")
        try await Task.sleep(for: .milliseconds(120))
        #expect(!hosts.contains("pinned.example", client: "127.0.0.1"))
    }

    @Test(arguments: [
        // TLS 1.2 and BoringSSL clients: an alert.
        ("handshakeFailed(sslError([error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA]))", true),
        // TLS 1.3 OpenSSL clients (curl): their alert arrives where BoringSSL expects a record.
        ("handshakeFailed(sslError([error:10000070:SSL routines:OPENSSL_internal:BAD_PACKET_LENGTH]))", true),
        // Not TLS at all: garbage, or plain HTTP inside the tunnel.
        ("handshakeFailed(sslError([error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER]))", false),
        ("handshakeFailed(sslError([error:1000009c:SSL routines:OPENSSL_internal:HTTP_REQUEST]))", false),
    ])
    func aRefusedCertificateIsToldFromGarbage(error: String, isRejection: Bool) {
        #expect(ClientCertificateRejection.isRejection(error) == isRejection)
    }

    @Test func routesThroughAParentShareConnectionsOnlyWhenInClear() {
        let parent = HostAndPort(host: "127.0.0.1", port: 3128)
        let a = UpstreamRoute(origin: HostAndPort(host: "a.example", port: 80), parent: parent, tls: false)
        let b = UpstreamRoute(origin: HostAndPort(host: "b.example", port: 80), parent: parent, tls: false)
        #expect(a == b && a.connectTarget == parent)
        let secureA = UpstreamRoute(origin: HostAndPort(host: "a.example", port: 443), parent: parent, tls: true)
        let secureB = UpstreamRoute(origin: HostAndPort(host: "b.example", port: 443), parent: parent, tls: true)
        #expect(secureA != secureB && secureA.connectTarget == parent)
    }
}
