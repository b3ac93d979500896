import Crypto
import Foundation
import SwiftASN1
import Testing
import X509

@testable import CrumbsCA

@Suite struct LeafCertificateIssuerTests {
    static let authority = try! CertificateAuthority.generate(hostName: "test")
    static let otherAuthority = try! CertificateAuthority.generate(hostName: "other")

    func verify(
        _ leaf: IssuedLeaf, trusting root: CertificateAuthority, hostname: String? = nil, ip: String? = nil
    ) async -> Bool {
        var verifier = Verifier(rootCertificates: CertificateStore([root.certificate.certificate])) {
            RFC5280Policy()
            ServerIdentityPolicy(serverHostname: hostname, serverIP: ip)
        }
        let result = await verifier.validate(leaf: leaf.certificate, intermediates: CertificateStore())
        if case .validCertificate(let chain) = result {
            return chain.count == 2 && chain.last == root.certificate.certificate
        }
        return false
    }

    @Test func dnsLeafHasRequiredFields() throws {
        let issuer = try LeafCertificateIssuer(authority: Self.authority)
        let leaf = try issuer.certificate(for: "WWW.Example.COM.")
        let certificate = leaf.certificate
        #expect(leaf.host == "www.example.com")
        #expect(certificate.subject.description == "O=Crumbs,CN=www.example.com")
        #expect(certificate.issuer == Self.authority.certificate.certificate.subject)
        #expect(certificate.serialNumber.bytes.count == 16)
        let extensions = certificate.extensions
        #expect(try extensions.subjectAlternativeNames == SubjectAlternativeNames([.dnsName("www.example.com")]))
        #expect(try extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth]))
        #expect(try extensions.keyUsage == KeyUsage(digitalSignature: true))
        #expect(try extensions.basicConstraints == .notCertificateAuthority)
        #expect(
            try extensions.authorityKeyIdentifier?.keyIdentifier
                == Self.authority.certificate.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        let lifetime = certificate.notValidAfter.timeIntervalSince(certificate.notValidBefore)
        #expect(lifetime <= 397 * 86_400)
        #expect(certificate.notValidBefore < Date().addingTimeInterval(-86_000))
    }

    @Test func chainVerifiesForDNSNameAndNotForAnotherName() async throws {
        let issuer = try LeafCertificateIssuer(authority: Self.authority)
        let leaf = try issuer.certificate(for: "tracker.example")
        #expect(await verify(leaf, trusting: Self.authority, hostname: "tracker.example"))
        #expect(await !verify(leaf, trusting: Self.authority, hostname: "other.example"))
    }

    @Test func chainDoesNotVerifyAgainstAnotherCA() async throws {
        let issuer = try LeafCertificateIssuer(authority: Self.authority)
        let leaf = try issuer.certificate(for: "tracker.example")
        #expect(await !verify(leaf, trusting: Self.otherAuthority, hostname: "tracker.example"))
    }

    @Test(arguments: [
        ("127.0.0.1", "127.0.0.1", [127, 0, 0, 1] as [UInt8]),
        ("[::1]", "::1", [UInt8](repeating: 0, count: 15) + [1]),
        ("2001:DB8:0:0::1", "2001:db8::1", [0x20, 0x01, 0x0d, 0xb8] + [UInt8](repeating: 0, count: 11) + [1]),
    ])
    func ipLiteralGetsAnIPAddressSAN(host: String, canonical: String, bytes: [UInt8]) async throws {
        let issuer = try LeafCertificateIssuer(authority: Self.authority)
        let leaf = try issuer.certificate(for: host)
        #expect(leaf.host == canonical)
        let names = try #require(try leaf.certificate.extensions.subjectAlternativeNames)
        #expect(Array(names) == [.ipAddress(ASN1OctetString(contentBytes: bytes[...]))])
        #expect(await verify(leaf, trusting: Self.authority, ip: canonical))
        #expect(await !verify(leaf, trusting: Self.authority, ip: "10.9.8.7"))
    }

    @Test func keyAndDERFormsMatchTheCertificate() throws {
        let issuer = try LeafCertificateIssuer(authority: Self.authority)
        let leaf = try issuer.certificate(for: "example.org")
        let fromDER = try P256.Signing.PrivateKey(derRepresentation: leaf.privateKeyDER)
        let fromPEM = try P256.Signing.PrivateKey(pemRepresentation: leaf.privateKeyPEM)
        #expect(Certificate.PublicKey(fromDER.publicKey) == leaf.certificate.publicKey)
        #expect(fromPEM.rawRepresentation == fromDER.rawRepresentation)
        #expect(leaf.privateKeyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(try Certificate(derEncoded: leaf.certificateDER) == leaf.certificate)
        #expect(leaf.chainDER == [leaf.certificateDER, Self.authority.certificate.derBytes])
        #expect(!leaf.description.contains(leaf.privateKeyPEM.split(separator: "\n")[1]))
    }

    @Test func sharedKeyPolicyReusesOneKeyAndPerHostDoesNot() throws {
        let shared = try LeafCertificateIssuer(authority: Self.authority)
        #expect(
            try shared.certificate(for: "a.example").privateKeyDER == shared.certificate(for: "b.example").privateKeyDER
        )
        let perHost = try LeafCertificateIssuer(
            authority: Self.authority, configuration: .init(keyPolicy: .perHost))
        #expect(
            try perHost.certificate(for: "a.example").privateKeyDER
                != perHost.certificate(for: "b.example").privateKeyDER)
    }

    @Test func repeatedHostIsServedFromTheCache() throws {
        let issuer = try LeafCertificateIssuer(authority: Self.authority)
        let first = try issuer.certificate(for: "cdn.example")
        let second = try issuer.certificate(for: "CDN.example.")
        #expect(first.certificateDER == second.certificateDER)
        #expect(issuer.cachedHostCount == 1)
    }

    @Test func cacheEvictsLeastRecentlyUsedBeyondCapacity() throws {
        let issuer = try LeafCertificateIssuer(authority: Self.authority, configuration: .init(cacheCapacity: 2))
        let a = try issuer.certificate(for: "a.example")
        _ = try issuer.certificate(for: "b.example")
        _ = try issuer.certificate(for: "a.example")  // a is now the most recent
        _ = try issuer.certificate(for: "c.example")  // evicts b
        #expect(issuer.cachedHosts == ["c.example", "a.example"])
        #expect(try issuer.certificate(for: "a.example").certificateDER == a.certificateDER)
        #expect(try issuer.certificate(for: "b.example").certificate.serialNumber != a.certificate.serialNumber)
        #expect(issuer.cachedHostCount == 2)
    }

    @Test func concurrentRequestsForOneHostGetOneCertificate() async throws {
        let issuer = try LeafCertificateIssuer(authority: Self.authority)
        let serials = try await withThrowingTaskGroup(of: Certificate.SerialNumber.self) { group in
            for _ in 0..<32 {
                group.addTask { try issuer.certificate(for: "race.example").certificate.serialNumber }
            }
            return try await group.reduce(into: Set<Certificate.SerialNumber>()) { $0.insert($1) }
        }
        #expect(serials.count == 1)
    }

    @Test func leafNearExpiryIsReminted() throws {
        let clock = TestClock()
        let issuer = try LeafCertificateIssuer(authority: Self.authority, now: { clock.now })
        let first = try issuer.certificate(for: "long.example")
        clock.advance(days: 300)
        #expect(try issuer.certificate(for: "long.example").certificateDER == first.certificateDER)
        clock.advance(days: 65)
        #expect(try issuer.certificate(for: "long.example").certificateDER != first.certificateDER)
    }

    @Test func leafNeverOutlivesTheCA() throws {
        let clock = TestClock(Self.authority.certificate.notValidAfter.addingTimeInterval(-30 * 86_400))
        let issuer = try LeafCertificateIssuer(authority: Self.authority, now: { clock.now })
        let leaf = try issuer.certificate(for: "late.example")
        #expect(leaf.certificate.notValidAfter == Self.authority.certificate.notValidAfter)
    }

    @Test func expiredCAIsRefused() throws {
        let later = Self.authority.certificate.notValidAfter.addingTimeInterval(1)
        let error = caError { try LeafCertificateIssuer(authority: Self.authority, now: { later }) }
        #expect(error?.code == .expired)
    }

    @Test(arguments: [
        "", "bad host", "a..b", "-a.example", "*.example.com", "exämple.com",
        String(repeating: "a", count: 64) + ".com",
    ])
    func invalidHostIsRefusedWithTheHost(host: String) throws {
        let issuer = try LeafCertificateIssuer(authority: Self.authority)
        let error = caError { try issuer.certificate(for: host) }
        #expect(error?.code == .invalidHost)
        #expect(error?.host == host)
    }

    @Test func longHostNameGetsNoCommonNameButStillVerifies() async throws {
        let issuer = try LeafCertificateIssuer(authority: Self.authority)
        let host = String(repeating: "a", count: 60) + "." + String(repeating: "b", count: 20) + ".example"
        let leaf = try issuer.certificate(for: host)
        #expect(leaf.certificate.subject.description == "O=Crumbs")
        #expect(await verify(leaf, trusting: Self.authority, hostname: host))
    }
}
