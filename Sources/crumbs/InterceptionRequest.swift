import CrumbsCA
import CrumbsProxy
import Foundation
import NIOCore
import SwiftASN1
import X509

/// What the user asked of `--intercept`, before the CA is loaded.
struct InterceptionRequest {
    var mode: InterceptionMode
    var passThrough: [HostPattern]
    var upstreamCAFiles: [String]
    var rejectedHostPassThrough: TimeAmount

    /// Loads the local CA (creating it on first use, and saying so) and the extra roots.
    func settings(dataDirectory: String, announce: (String) -> Void) throws -> InterceptionSettings {
        let store = CAStore(dataDirectory: dataDirectory)
        let authority: CertificateAuthority
        do {
            if store.exists {
                authority = try store.load()
            } else {
                authority = try store.create(hostName: CACommand.hostName())
                announce(
                    "Created a local CA at \(store.certificatePath). "
                        + (mode == .auto
                            ? "Crumbs decrypts a browser's HTTPS once that browser trusts it: "
                            : "Browsers must trust it before HTTPS works: ")
                        + "open http://crumbs.internal/ through the proxy for the steps.")
            }
        } catch {
            throw CLIError("interception (\(mode.rawValue)): \(error)")
        }
        let issuer: LeafCertificateIssuer
        do {
            issuer = try LeafCertificateIssuer(authority: authority)
        } catch {
            throw CLIError("interception (\(mode.rawValue)): \(error) — run `crumbs ca rotate`")
        }
        return InterceptionSettings(
            mode: mode, issuer: issuer,
            additionalTrustRoots: try upstreamCAFiles.flatMap(Self.certificates(inPEMFile:)),
            passThrough: passThrough, rejectedHostPassThrough: rejectedHostPassThrough)
    }

    static func certificates(inPEMFile path: String) throws -> [Certificate] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CLIError("--upstream-ca \(path): cannot read the file (\(error.localizedDescription))")
        }
        let certificates: [Certificate]
        do {
            certificates = try PEMDocument.parseMultiple(pemString: text)
                .filter { $0.discriminator == "CERTIFICATE" }
                .map { try Certificate(pemDocument: $0) }
        } catch {
            throw CLIError("--upstream-ca \(path): not a PEM certificate file (\(error))")
        }
        guard !certificates.isEmpty else { throw CLIError("--upstream-ca \(path): no certificate in the file") }
        return certificates
    }
}
