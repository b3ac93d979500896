import Crypto
import Foundation
import X509

/// The per-install local CA: its certificate and its P-256 signing key.
///
/// The key is internal to this module on purpose: nothing outside CrumbsCA can log, print or
/// export it. `description` and `dump` show the certificate only.
public struct CertificateAuthority: Sendable {
    public let certificate: AuthorityCertificate
    /// Wrapped by swift-certificates (which is Sendable, unlike swift-crypto's key on Linux).
    let privateKey: Certificate.PrivateKey

    /// Pairs a certificate with its key; throws `keyMismatch` if they do not belong together.
    /// `keyPath` only names the key file in errors.
    public init(certificate: AuthorityCertificate, privateKey: P256.Signing.PrivateKey, keyPath: String? = nil)
        throws
    {
        guard certificate.certificate.publicKey == Certificate.PublicKey(privateKey.publicKey) else {
            throw CAError(.keyMismatch, path: keyPath)
        }
        self.certificate = certificate
        self.privateKey = Certificate.PrivateKey(privateKey)
    }

    /// How long a new CA is valid. Ten years: re-installing a root in every browser is a chore,
    /// and the key never leaves this machine.
    public static let validityYears = 10

    /// Makes a new CA with a fresh key, named after `hostName` and today's date (UTC), e.g.
    /// `CN=Crumbs local CA (laptop) 2026-11-23, O=Crumbs`. The date and host make it easy to find
    /// (and remove) the right root in a trust store after a rotation.
    public static func generate(hostName: String, now: Date = Date()) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let signingKey = Certificate.PrivateKey(key)
        let publicKey = signingKey.publicKey
        // A day in the past so a client whose clock is a little behind still accepts it.
        let notBefore = now.addingTimeInterval(-86_400)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let notAfter = calendar.date(byAdding: .year, value: validityYears, to: now)!
        do {
            let name = try DistinguishedName {
                CommonName(commonName(hostName: hostName, date: now))
                OrganizationName("Crumbs")
            }
            let extensions = try Certificate.Extensions {
                // pathlen 0: this CA signs leaves only, never another CA.
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: randomSerialNumber(),
                publicKey: publicKey,
                notValidBefore: notBefore,
                notValidAfter: notAfter,
                issuer: name,
                subject: name,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions,
                issuerPrivateKey: signingKey
            )
            return try CertificateAuthority(certificate: AuthorityCertificate(certificate), privateKey: key)
        } catch let error as CAError {
            throw error
        } catch {
            throw CAError(.signingFailed, host: hostName, detail: "\(error)")
        }
    }

    /// `Crumbs local CA (<host>) <yyyy-MM-dd>`, with the host cut so the name stays within the
    /// 64 characters X.520 allows a common name.
    public static func commonName(hostName: String, date: Date) -> String {
        let day = dayString(date)
        let fixed = "Crumbs local CA () \(day)".count
        let host = hostName.isEmpty ? "localhost" : String(hostName.prefix(64 - fixed))
        return "Crumbs local CA (\(host)) \(day)"
    }

    /// `yyyy-MM-dd` in UTC: the CA name and retired-file names must not depend on the time zone.
    static func dayString(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        func pad(_ value: Int?, _ width: Int) -> String {
            let text = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return "\(pad(parts.year, 4))-\(pad(parts.month, 2))-\(pad(parts.day, 2))"
    }

    /// 16 random bytes with the top bit clear (a positive DER INTEGER of exactly 16 octets) and
    /// the next bit set (no leading zero octet to strip).
    static func randomSerialNumber() -> Certificate.SerialNumber {
        var generator = SystemRandomNumberGenerator()
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        bytes[0] = (bytes[0] & 0x7F) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }

    /// The key as PEM (PKCS#8) for the key file. Internal: only `CAStore` writes it.
    func privateKeyPEM() throws -> String {
        try privateKey.serializeAsPEM().pemString + "\n"
    }
}

extension CertificateAuthority: CustomStringConvertible, CustomReflectable {
    public var description: String {
        "CertificateAuthority(\(certificate.subject), SHA-256 \(certificate.sha256Fingerprint))"
    }

    /// Keeps the key out of `dump(_:)` and debugger mirrors.
    public var customMirror: Mirror {
        Mirror(self, children: ["certificate": certificate.subject], displayStyle: .struct)
    }
}
