import ArgumentParser
import CrumbsCA
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// `crumbs ca`: the per-install certificate authority that HTTPS interception signs with.
struct CACommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ca",
        abstract: "Create, show, export or rotate the local certificate authority.",
        subcommands: [Init.self, Show.self, Export.self, Rotate.self]
    )

    /// `crumbs ca init`: makes the CA once; never overwrites one.
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "init", abstract: "Create the local CA (refuses if one exists).")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try CACommand.reportingErrors {
                let store = try CACommand.store(global)
                let authority = try store.create(hostName: CACommand.hostName())
                let certificate = authority.certificate
                CACommand.write(
                    """
                    Created the Crumbs CA in \(store.directory)
                      certificate  \(store.certificatePath)
                      key          \(store.keyPath) (mode 0600; it never leaves this machine)
                      subject      \(certificate.subject)
                      SHA-256      \(certificate.sha256Fingerprint)
                    Next: trust it in your browser or OS (`crumbs ca export --out crumbs-ca.pem`, then
                    import that file as an authority) and check the SHA-256 fingerprint matches.
                    """)
            }
        }
    }

    /// `crumbs ca show`: what a user compares against a trust store.
    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "show", abstract: "Print the CA's path, fingerprints and validity.")

        @OptionGroup var global: GlobalOptions

        @Flag(help: "Print the same facts as JSON, for scripts.")
        var json = false

        func run() throws {
            try CACommand.reportingErrors {
                let store = try CACommand.store(global)
                let certificate = try store.loadCertificate()
                // The certificate is shown even when the key is refused, with the reason, so the
                // user sees what is wrong without losing the rest.
                let keyState: String
                do {
                    _ = try store.load()
                    keyState = "ok"
                } catch let error as CAError {
                    keyState = "unusable: \(error.description)"
                }
                if json {
                    let facts: [String: String] = [
                        "certificate": store.certificatePath, "key": store.keyPath, "keyState": keyState,
                        "subject": "\(certificate.subject)",
                        "notBefore": certificate.notValidBefore.formatted(.iso8601),
                        "notAfter": certificate.notValidAfter.formatted(.iso8601),
                        "sha256": certificate.sha256Fingerprint, "spkiSHA256": certificate.spkiSHA256Base64,
                    ]
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                    CACommand.write(String(decoding: try encoder.encode(facts), as: UTF8.self))
                    return
                }
                CACommand.write(
                    """
                    certificate   \(store.certificatePath)
                    key           \(store.keyPath) (\(keyState))
                    subject       \(certificate.subject)
                    not before    \(certificate.notValidBefore.formatted(.iso8601))
                    not after     \(certificate.notValidAfter.formatted(.iso8601))
                    SHA-256       \(certificate.sha256Fingerprint)
                    SPKI SHA-256  \(certificate.spkiSHA256Base64)
                                  (for Chromium's --ignore-certificate-errors-spki-list)
                    """)
            }
        }
    }

    /// `crumbs ca export`: the certificate only; there is no way to export the key.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "export", abstract: "Write the CA certificate (PEM, or DER with --der).")

        @OptionGroup var global: GlobalOptions

        @Flag(name: .customLong("der"), help: "Write DER instead of PEM.")
        var der = false

        @Option(
            name: .customLong("out"), help: ArgumentHelp("File to write (default: standard output).", valueName: "file")
        )
        var outputPath: String?

        func run() throws {
            try CACommand.reportingErrors {
                let certificate = try CACommand.store(global).loadCertificate()
                let bytes = der ? Data(certificate.derBytes) : Data(certificate.pem.utf8)
                guard let outputPath else {
                    // Binary on a terminal only garbles it; a pipe or redirect is what DER is for.
                    if der, isatty(STDOUT_FILENO) != 0 {
                        throw CLIError("refusing to write DER to a terminal; use --out FILE or a redirect")
                    }
                    FileHandle.standardOutput.write(bytes)
                    return
                }
                do {
                    try bytes.write(to: URL(fileURLWithPath: outputPath), options: .atomic)
                } catch {
                    throw CLIError("cannot write \(outputPath): \(error.localizedDescription)")
                }
            }
        }
    }

    /// `crumbs ca rotate`: a new CA; the old key is deleted and the old certificate kept.
    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate",
            abstract: "Replace the CA with a new one (you must re-install it in trust stores).")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try CACommand.reportingErrors {
                let store = try CACommand.store(global)
                let rotation = try store.rotate(hostName: CACommand.hostName())
                let new = rotation.authority.certificate
                var lines = [
                    "Rotated the Crumbs CA in \(store.directory)",
                    "  new CA       \(new.subject)",
                    "  SHA-256      \(new.sha256Fingerprint)",
                    "  SPKI SHA-256 \(new.spkiSHA256Base64)",
                ]
                if let retiredPath = rotation.retiredCertificatePath {
                    let name = rotation.retiredCertificate?.subject ?? "unreadable certificate"
                    lines.append("  old CA       \(name)")
                    if let old = rotation.retiredCertificate {
                        lines.append("  old SHA-256  \(old.sha256Fingerprint)")
                    }
                    lines.append("               kept for reference as \(retiredPath)")
                }
                if rotation.removedOldKey {
                    lines.append("  old key      deleted: the old CA can never sign again")
                }
                lines += [
                    "What to do now:",
                    "  - Remove the old \"Crumbs local CA\" root from every browser and OS trust store",
                    "    you installed it in (the old certificate above tells you which one).",
                    "  - Install the new one: `crumbs ca export --out crumbs-ca.pem`, then import it.",
                    "  - Update any --ignore-certificate-errors-spki-list flag to the new SPKI hash.",
                    "  - Restart a running `crumbs run`: every site certificate it issued came from",
                    "    the old CA and stops being trusted once the old root is removed.",
                ]
                CACommand.write(lines.joined(separator: "\n"))
            }
        }
    }

    static func store(_ global: GlobalOptions) throws -> CAStore {
        CAStore(dataDirectory: try global.resolvedDataDirectory(config: try global.loadConfig()))
    }

    /// The short host name for the CA's common name, so the user can tell machines' roots apart.
    static func hostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
    }

    /// One line on standard error and a non-zero exit, as every crumbs command fails.
    static func reportingErrors(_ body: () throws -> Void) throws {
        let message: String
        do {
            try body()
            return
        } catch let error as CAError {
            message = error.description
        } catch let error as CLIError {
            message = error.description
        }
        FileHandle.standardError.write(Data("crumbs: \(message)\n".utf8))
        throw ExitCode.failure
    }
}
