import CrumbsCA
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
        hosts.remember("Pinned.Example")
        #expect(hosts.contains("pinned.example"))
        try await Task.sleep(for: .milliseconds(120))
        #expect(!hosts.contains("pinned.example"))
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
