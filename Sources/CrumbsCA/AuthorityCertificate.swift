import Crypto
import Foundation
import SwiftASN1
import X509

/// The public half of the local CA: its certificate, and the forms users compare or paste into
/// browsers (fingerprint, SPKI hash, PEM, DER). Holds no key, so `show` and `export` can use it
/// even when the key file is missing or refused.
public struct AuthorityCertificate: Sendable, Hashable {
    public let certificate: Certificate
    /// The certificate as DER, serialised once: every TLS handshake hands these bytes out.
    public let derBytes: [UInt8]
    /// Base64 of the SHA-256 of the SubjectPublicKeyInfo: the value Chromium's
    /// `--ignore-certificate-errors-spki-list` and HPKP-style pins take.
    public let spkiSHA256Base64: String

    public init(_ certificate: Certificate) throws {
        self.certificate = certificate
        self.derBytes = try serializedDER(certificate)
        // The whole SubjectPublicKeyInfo DER (algorithm and key), not swift-certificates'
        // `subjectPublicKeyInfoBytes`, which is only the key's bit string.
        var serializer = DER.Serializer()
        try serializer.serialize(certificate.publicKey)
        self.spkiSHA256Base64 = Data(SHA256.hash(data: serializer.serializedBytes)).base64EncodedString()
    }

    /// Parses a PEM `CERTIFICATE` block; `path` only names the file in errors.
    public init(pemEncoded pem: String, path: String) throws {
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: pem)
        } catch {
            throw CAError(.corrupt, path: path, detail: "not a PEM certificate (\(error))")
        }
        try self.init(certificate)
    }

    /// The certificate as a PEM `CERTIFICATE` block, ending in a newline.
    public var pem: String {
        PEMDocument(type: "CERTIFICATE", derBytes: derBytes).pemString + "\n"
    }

    /// SHA-256 of the DER certificate as upper-case, colon-separated hex, the way browsers and
    /// `openssl x509 -fingerprint -sha256` show it.
    public var sha256Fingerprint: String {
        SHA256.hash(data: derBytes).map { byte in
            let hex = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + hex : hex
        }.joined(separator: ":")
    }

    /// The subject in RFC 4514 form (last RDN first), e.g.
    /// `O=Crumbs,CN=Crumbs local CA (host) 2026-11-23`.
    public var subject: String { certificate.subject.description }

    public var notValidBefore: Date { certificate.notValidBefore }
    public var notValidAfter: Date { certificate.notValidAfter }

    /// The key identifier leaves put in their authorityKeyIdentifier, so clients pick this CA.
    var keyIdentifier: ArraySlice<UInt8> {
        if let identifier = try? certificate.extensions.subjectKeyIdentifier?.keyIdentifier {
            return identifier
        }
        // A CA we did not make may lack the extension; RFC 5280's method 1 gives the same value.
        return SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
    }
}

/// DER bytes of a certificate (swift-certificates keeps its own shortcut for this internal).
func serializedDER(_ certificate: Certificate) throws -> [UInt8] {
    var serializer = DER.Serializer()
    try serializer.serialize(certificate)
    return serializer.serializedBytes
}
