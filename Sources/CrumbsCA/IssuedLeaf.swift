import Crypto
import X509

/// A minted server certificate for one host, in the forms a TLS server (swift-nio-ssl) takes:
/// DER certificates for `NIOSSLCertificate(bytes:format: .der)` and the leaf key as PKCS#8 DER or
/// PEM for `NIOSSLPrivateKey(bytes:format:)`.
///
/// The leaf key is an ephemeral, in-memory key (see `LeafCertificateIssuer.KeyPolicy`), never
/// the CA key; `description` and `dump` still leave it out.
public struct IssuedLeaf: Sendable {
    /// The host as normalised for the certificate: lower case, no trailing dot, canonical IP.
    public let host: String
    public let certificate: Certificate
    public let certificateDER: [UInt8]
    public let authorityCertificateDER: [UInt8]
    /// The leaf private key as PKCS#8 DER.
    public let privateKeyDER: [UInt8]
    /// The leaf private key as PEM (`BEGIN PRIVATE KEY`, PKCS#8).
    public let privateKeyPEM: String

    /// The chain to send in the handshake, leaf first, then the CA.
    public var chainDER: [[UInt8]] { [certificateDER, authorityCertificateDER] }
}

extension IssuedLeaf: CustomStringConvertible, CustomReflectable {
    public var description: String {
        "IssuedLeaf(\(host), serial \(certificate.serialNumber), until \(certificate.notValidAfter))"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["host": host, "certificate": certificate], displayStyle: .struct)
    }
}

/// A leaf key with its encodings computed once, so a shared key costs nothing per host.
struct LeafKey: Sendable {
    let publicKey: Certificate.PublicKey
    let subjectKeyIdentifier: SubjectKeyIdentifier
    let derBytes: [UInt8]
    let pem: String

    init() {
        // Only the public half and the encodings are kept: the P-256 key type is not Sendable.
        let key = P256.Signing.PrivateKey()
        publicKey = Certificate.PublicKey(key.publicKey)
        subjectKeyIdentifier = SubjectKeyIdentifier(hash: publicKey)
        derBytes = Array(key.derRepresentation)
        pem = key.pemRepresentation + "\n"
    }
}
