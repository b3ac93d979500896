import Crypto
import Foundation
import NIOConcurrencyHelpers
import SwiftASN1
import X509

/// Mints server certificates for intercepted hosts, signed by the local CA, and keeps the most
/// recently used ones in memory so a host seen again costs a dictionary lookup.
///
/// Thread-safe: the cache sits behind a lock, and signing happens outside it so event loops asking
/// for cached hosts never wait for another host being minted.
public final class LeafCertificateIssuer: Sendable {
    /// Whether leaves share one key.
    ///
    /// Leaf keys live only in memory, in the process that also holds the CA key, so anything
    /// that can read a leaf key can read the CA key: per-host keys only narrow what a leaf key
    /// that escapes on its own (say, written out for TLS debugging) can impersonate. Measured on
    /// the 2-core dev machine (release): ~0.09 ms per new host shared, ~0.3-0.5 ms per host.
    public enum KeyPolicy: Sendable, Hashable {
        /// One key, made with the issuer, for every leaf it mints (mitmproxy does the same). Saves
        /// a key generation per host and lets the TLS layer parse the key once.
        case shared
        /// A fresh key per host: an escaped leaf key impersonates one host, not all of them.
        case perHost
    }

    /// Cache size, key policy and leaf lifetime.
    public struct Configuration: Sendable {
        /// Hosts kept in memory; the least recently used is dropped beyond this.
        public var cacheCapacity: Int
        public var keyPolicy: KeyPolicy
        /// Days a leaf is valid from now. Clamped to 1...396: with notBefore a day in the past
        /// the whole period stays within the 397 days browsers accept.
        public var validityDays: Int

        public init(cacheCapacity: Int = 1024, keyPolicy: KeyPolicy = .shared, validityDays: Int = 365) {
            self.cacheCapacity = max(1, cacheCapacity)
            self.keyPolicy = keyPolicy
            self.validityDays = min(max(validityDays, 1), 396)
        }
    }

    public let authorityCertificate: AuthorityCertificate
    public let configuration: Configuration
    private let signingKey: Certificate.PrivateKey
    private let authorityKeyIdentifier: AuthorityKeyIdentifier
    private let sharedKey: LeafKey?
    private let now: @Sendable () -> Date
    private let cache: NIOLockedValueBox<LRUCache<String, IssuedLeaf>>

    /// Throws `expired` if the CA is not valid now: its leaves would be rejected anyway, and a
    /// clear error at startup beats a browser warning on every site.
    public init(
        authority: CertificateAuthority,
        configuration: Configuration = Configuration(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) throws {
        let certificate = authority.certificate
        let current = now()
        guard certificate.notValidBefore <= current, current < certificate.notValidAfter else {
            throw CAError(
                .expired,
                detail: "valid from \(certificate.notValidBefore) until \(certificate.notValidAfter)"
            )
        }
        self.authorityCertificate = certificate
        self.configuration = configuration
        self.signingKey = authority.privateKey
        self.authorityKeyIdentifier = AuthorityKeyIdentifier(keyIdentifier: certificate.keyIdentifier)
        self.sharedKey = configuration.keyPolicy == .shared ? LeafKey() : nil
        self.now = now
        self.cache = NIOLockedValueBox(LRUCache(capacity: configuration.cacheCapacity))
    }

    /// The leaf for `host` (a DNS name, or an IPv4/IPv6 literal, bracketed or not), from the
    /// cache when possible. Throws `invalidHost` for text no certificate may name.
    public func certificate(for host: String) throws -> IssuedLeaf {
        let name = try LeafName(host: host)
        let current = now()
        // Re-mint a day before expiry rather than hand out a leaf that dies mid-connection.
        let freshUntil = current.addingTimeInterval(86_400)
        if let cached = cache.withLockedValue({ $0.value(for: name.text) }),
            cached.certificate.notValidAfter > freshUntil
        {
            return cached
        }
        let minted = try mint(name, now: current)
        return cache.withLockedValue { cache in
            // Another thread may have minted the same host meanwhile: keep one, so every
            // caller sees the same certificate.
            if let raced = cache.value(for: name.text), raced.certificate.notValidAfter > freshUntil {
                return raced
            }
            cache.insert(minted, for: name.text)
            return minted
        }
    }

    /// Hosts currently cached.
    public var cachedHostCount: Int {
        cache.withLockedValue { $0.count }
    }

    /// Cached hosts, most recently used first (for diagnostics and tests).
    public var cachedHosts: [String] {
        cache.withLockedValue { $0.keysByRecency }
    }

    private func mint(_ name: LeafName, now: Date) throws -> IssuedLeaf {
        let key = sharedKey ?? LeafKey()
        let notAfter = min(
            now.addingTimeInterval(Double(configuration.validityDays) * 86_400),
            authorityCertificate.notValidAfter
        )
        do {
            let subject = try DistinguishedName {
                // X.520 caps a common name at 64 characters; the SAN is what clients check anyway.
                if name.text.utf8.count <= 64 { CommonName(name.text) }
                OrganizationName("Crumbs")
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([name.generalName])
                authorityKeyIdentifier
                key.subjectKeyIdentifier
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: CertificateAuthority.randomSerialNumber(),
                publicKey: key.publicKey,
                notValidBefore: now.addingTimeInterval(-86_400),
                notValidAfter: notAfter,
                issuer: authorityCertificate.certificate.subject,
                subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions,
                issuerPrivateKey: signingKey
            )
            return IssuedLeaf(
                host: name.text,
                certificate: certificate,
                certificateDER: try serializedDER(certificate),
                authorityCertificateDER: authorityCertificate.derBytes,
                privateKeyDER: key.derBytes,
                privateKeyPEM: key.pem
            )
        } catch {
            throw CAError(.signingFailed, host: name.text, detail: "\(error)")
        }
    }
}
