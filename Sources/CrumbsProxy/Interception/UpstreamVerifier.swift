import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import X509

/// Verifies an origin's certificate chain with swift-certificates (RFC 5280 path validation and
/// the server identity check), so that a refusal can say *why*: BoringSSL's own failure is one
/// opaque "certificate verify failed" for an expired certificate, a wrong host and an unknown CA.
struct UpstreamVerifier: Sendable {
    let trustRoots: CertificateStore
    let host: String

    /// Why an origin's certificate was refused, in words for the 502 page and the event.
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// The callback NIOSSL calls with the peer's chain; `verdict` receives the refusal, if any.
    func callback(verdict: NIOLockedValueBox<Refusal?>) -> NIOSSLCustomVerificationCallback {
        { certificates, promise in
            Task {
                let refusal = await refusal(for: certificates)
                verdict.withLockedValue { $0 = refusal }
                promise.succeed(refusal == nil ? .certificateVerified : .failed)
            }
        }
    }

    /// Nil when the chain is valid now for `host`.
    func refusal(for peerCertificates: [NIOSSLCertificate]) async -> Refusal? {
        let parsed = try? peerCertificates.map { try Certificate(derEncoded: $0.toDERBytes()) }
        guard let chain = parsed, let leaf = chain.first else {
            return Refusal(description: "\(host) sent no certificate that can be parsed")
        }
        let isAddress = IPAddressText.isAddress(host)
        var verifier = Verifier(rootCertificates: trustRoots) {
            RFC5280Policy()  // validity checked against the current time
            ServerIdentityPolicy(serverHostname: isAddress ? nil : host, serverIP: isAddress ? host : nil)
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(chain.dropFirst()))
        guard case .couldNotValidate(let failures) = result else { return nil }
        return Refusal(
            description: Self.reason(failures.map(\.policyFailureReason.description), leaf: leaf, host: host))
    }

    /// The most useful of the policy failures, phrased for a person.
    static func reason(_ failures: [String], leaf: Certificate, host: String) -> String {
        if failures.contains(where: { $0.contains("has expired") }) {
            return
                "certificate expired: \(host)'s certificate (or its issuer's) is not valid after \(leaf.notValidAfter)"
        }
        if failures.contains(where: { $0.contains("not yet valid") }) {
            return "certificate not yet valid: \(host)'s certificate starts at \(leaf.notValidBefore)"
        }
        if failures.contains(where: { $0.contains("SAN extension") || $0.contains("ommon name") }) {
            return "wrong host: the certificate presented does not name \(host) (\(Self.names(of: leaf)))"
        }
        if failures.isEmpty {
            return "unknown issuer: no trusted root issued \(host)'s certificate (issuer \(leaf.issuer))"
        }
        return "certificate refused: \(failures[0])"
    }

    private static func names(of leaf: Certificate) -> String {
        guard let san = try? leaf.extensions.subjectAlternativeNames, !san.isEmpty else {
            return "no subject alternative names"
        }
        let names = san.prefix(4).map { name -> String in
            if case .dnsName(let dns) = name { return dns }
            return "\(name)"
        }
        return "it names " + names.joined(separator: ", ") + (san.count > 4 ? ", …" : "")
    }
}

/// Whether text is an IP literal, which is checked against IP SANs and must not be sent as SNI.
enum IPAddressText {
    static func isAddress(_ text: String) -> Bool {
        (try? SocketAddress(ipAddress: text, port: 0)) != nil
    }
}
