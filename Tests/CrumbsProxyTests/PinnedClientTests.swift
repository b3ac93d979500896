import Foundation
import Testing

extension EndToEnd {
    /// curl (OpenSSL, TLS 1.3 and 1.2) as a client that does not trust the Crumbs CA: its refusal
    /// is recognised, its next connection to the host is passed through untouched, and another
    /// client still gets interception.
    @Suite(.timeLimit(.minutes(2)))
    struct PinnedClientTests {
        @Test(arguments: ["1.3", "1.2"])
        func curlRefusingTheCertificateGetsAPassThroughForItselfOnly(tlsVersion: String) async throws {
            try await withInterception { setup in
                let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-pinned-\(UUID())")
                try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
                defer { try? FileManager.default.removeItem(at: scratch) }
                let originCA = scratch.appendingPathComponent("origin-ca.pem")
                try setup.origin.authority.certificate.pem.write(to: originCA, atomically: true, encoding: .utf8)
                func curl(from address: String) -> (status: Int32, output: String) {
                    let run = runCurl([
                        "-s", "-S", "--max-time", "10", "--interface", address, "--tlsv\(tlsVersion)", "--tls-max",
                        tlsVersion, "--cacert", originCA.path, "-x", "http://127.0.0.1:\(setup.proxy.port)",
                        "https://bank.test/",
                    ])
                    return run
                }
                let first = curl(from: "127.0.0.1")
                #expect(first.status != 0, "curl accepted the Crumbs certificate without trusting the CA")
                let second = curl(from: "127.0.0.1")
                #expect(second.status == 0 && second.output == "hello from bank.test /", "\(second)")
                let other = curl(from: "127.0.0.2")
                #expect(other.status != 0, "another client must still be intercepted")

                let events = await setup.proxy.sink.waitFor(count: 3)
                let rejected = events.filter { $0.failure?.contains("client rejected the interception") == true }
                #expect(rejected.map(\.clientAddress).sorted() == ["127.0.0.1", "127.0.0.2"], "events: \(events)")
                let passedThrough = events.filter { $0.clientAddress == "127.0.0.1" && $0.failure == nil }
                #expect(passedThrough.count == 1 && passedThrough.first?.intercepted == false, "events: \(events)")
            }
        }
    }
}

/// Runs curl; stdout and the exit status.
private func runCurl(_ arguments: [String]) -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
    process.arguments = arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return (-1, "\(error)") }
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
