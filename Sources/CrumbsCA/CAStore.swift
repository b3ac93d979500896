import Crypto
import Foundation

/// The CA's files in `<data-dir>/ca/`: `crumbs-ca.pem` (certificate, 0644) and
/// `crumbs-ca-key.pem` (key, 0600, created with that mode), in a 0700 directory.
///
/// Rotation keeps the old certificate as `crumbs-ca.<yyyy-MM-dd>.pem.old` (so the user can find
/// and remove it from trust stores) and deletes the old key: a retired CA must never sign again.
public struct CAStore: Sendable {
    public static let certificateFileName = "crumbs-ca.pem"
    public static let keyFileName = "crumbs-ca-key.pem"

    /// The `ca` directory itself.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The store inside a Crumbs data directory (`<data-dir>/ca`).
    public init(dataDirectory: String) {
        self.init(directory: dataDirectory + "/ca")
    }

    public var certificatePath: String { directory + "/" + Self.certificateFileName }
    public var keyPath: String { directory + "/" + Self.keyFileName }

    /// True when either CA file is present (a half-written CA counts: `init` must not clobber it).
    public var exists: Bool {
        CAFile.exists(certificatePath) || CAFile.exists(keyPath)
    }

    /// Makes and saves a new CA; refuses with `alreadyExists` if one is there.
    @discardableResult
    public func create(hostName: String, now: Date = Date()) throws -> CertificateAuthority {
        guard !exists else { throw CAError(.alreadyExists, path: directory) }
        try CAFile.makePrivateDirectory(directory)
        let authority = try CertificateAuthority.generate(hostName: hostName, now: now)
        try install(authority)
        return authority
    }

    /// The certificate alone, for `show` and `export`: needs no key and checks no permissions.
    public func loadCertificate() throws -> AuthorityCertificate {
        try requireBothFiles()
        let pem = try CAFile.readText(certificatePath, directory: directory)
        return try AuthorityCertificate(pemEncoded: pem, path: certificatePath)
    }

    /// Certificate and key, for signing. Refuses a key file that group or others can read, and a
    /// key that does not match the certificate.
    public func load() throws -> CertificateAuthority {
        let certificate = try loadCertificate()
        guard let mode = CAFile.mode(of: keyPath) else { throw halfACA(missing: keyPath) }
        guard mode & 0o077 == 0 else {
            throw CAError(.insecurePermissions, path: keyPath, detail: "mode \(CAFile.octal(mode)), expected 0600")
        }
        let pem = try CAFile.readText(keyPath, directory: directory)
        let key: P256.Signing.PrivateKey
        do {
            key = try P256.Signing.PrivateKey(pemRepresentation: pem)
        } catch {
            // The parser's error is deliberately not shown: it could quote bytes of the key.
            throw CAError(.corrupt, path: keyPath, detail: "not a PEM P-256 private key")
        }
        return try CertificateAuthority(certificate: certificate, privateKey: key, keyPath: keyPath)
    }

    /// What `rotate` did.
    public struct Rotation: Sendable {
        /// The new CA, already saved.
        public let authority: CertificateAuthority
        /// Where the old certificate was kept, if there was a readable one.
        public let retiredCertificatePath: String?
        /// The old certificate, if it could be parsed (to tell the user which root to remove).
        public let retiredCertificate: AuthorityCertificate?
        /// Whether an old key file was deleted.
        public let removedOldKey: Bool
    }

    /// Replaces the CA with a new one. Works even when the old key is refused or corrupt (that is
    /// when rotation is needed most); throws `missing` only when there is no CA at all.
    public func rotate(hostName: String, now: Date = Date()) throws -> Rotation {
        let hadCertificate = CAFile.exists(certificatePath)
        let hadKey = CAFile.exists(keyPath)
        guard hadCertificate || hadKey else { throw CAError(.missing, path: directory) }
        try CAFile.makePrivateDirectory(directory)
        let old = try? loadCertificate()
        let authority = try CertificateAuthority.generate(hostName: hostName, now: now)

        var retiredPath: String?
        if hadCertificate {
            // Named by the day the old CA was made (its notBefore is a day early), matching its CN.
            let madeOn = old.map { $0.notValidBefore.addingTimeInterval(86_400) } ?? now
            let path = unusedRetiredPath(day: CertificateAuthority.dayString(madeOn))
            try CAFile.move(certificatePath, to: path)
            retiredPath = path
        }
        // Renaming the new key over the old one removes the old key in the same step.
        try install(authority)
        return Rotation(
            authority: authority, retiredCertificatePath: retiredPath, retiredCertificate: old,
            removedOldKey: hadKey
        )
    }

    /// Writes both files beside their final names, then renames them in, so neither file is ever
    /// seen half-written. A crash between the two renames leaves a mismatched pair, which `load`
    /// reports as `keyMismatch` and `rotate` repairs.
    private func install(_ authority: CertificateAuthority) throws {
        let keyTemporary = keyPath + ".new"
        let certificateTemporary = certificatePath + ".new"
        // Left over from a crash: ours, and never used by `load`.
        CAFile.remove(keyTemporary)
        CAFile.remove(certificateTemporary)
        let keyPEM: String
        do {
            keyPEM = try authority.privateKeyPEM()
        } catch {
            throw CAError(.writeFailed, path: keyPath, detail: "cannot encode the key")
        }
        try CAFile.writeNew(Array(keyPEM.utf8), to: keyTemporary, mode: 0o600)
        do {
            try CAFile.writeNew(Array(authority.certificate.pem.utf8), to: certificateTemporary, mode: 0o644)
            try CAFile.move(certificateTemporary, to: certificatePath)
            try CAFile.move(keyTemporary, to: keyPath)
        } catch {
            CAFile.remove(keyTemporary)
            CAFile.remove(certificateTemporary)
            throw error
        }
    }

    /// Half a CA (one file lost) is not "no CA": `init` would refuse, so point at `rotate`.
    private func requireBothFiles() throws {
        let hasKey = CAFile.exists(keyPath)
        if !CAFile.exists(certificatePath), hasKey { throw halfACA(missing: certificatePath) }
    }

    private func halfACA(missing path: String) -> CAError {
        CAError(.unreadable, path: path, detail: "file is missing; run `crumbs ca rotate` to make a new CA")
    }

    private func unusedRetiredPath(day: String) -> String {
        var candidate = directory + "/crumbs-ca.\(day).pem.old"
        var counter = 2
        while CAFile.exists(candidate) {
            candidate = directory + "/crumbs-ca.\(day)-\(counter).pem.old"
            counter += 1
        }
        return candidate
    }
}
