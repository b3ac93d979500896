import CrumbsCA
import CrumbsProxy
import Foundation
import NIOCore
import Testing

@testable import crumbs

/// `--intercept` and its companions: flags over config keys, the CA made on first use, bad input.
struct InterceptionOptionsTests {
    private func request(_ arguments: [String], config text: String = "") throws -> InterceptionRequest? {
        try RunOptions.parse(arguments).interceptionRequest(config: try ConfigFile(text: text))
    }

    /// Automatic by default: decrypted only for browsers that trust the CA.
    @Test func interceptionIsAutomaticUnlessTurnedOnOrOff() throws {
        #expect(try request([])?.mode == .auto)
        #expect(try request(["--no-intercept", "bank.example"])?.mode == .auto)
        #expect(try request(["--intercept"])?.mode == .on)
        #expect(try request(["--interception", "on"])?.mode == .on)
        #expect(try request(["--interception", "off"]) == nil)
        #expect(try request([], config: "intercept = false") == nil)
        #expect(try request([], config: "intercept = \"off\"") == nil)
        #expect(try request([], config: "intercept = \"auto\"")?.mode == .auto)
        #expect(try request([], config: "intercept = true")?.mode == .on)
        #expect(try request(["--interception", "auto"], config: "intercept = false")?.mode == .auto)
    }

    @Test func contradictoryOrUnknownModesAreClearErrors() throws {
        #expect(throws: CLIError.self) { try request(["--intercept", "--interception", "off"]) }
        #expect(throws: CLIError.self) { try request(["--interception", "sometimes"]) }
        #expect(throws: CLIError.self) { try request([], config: "intercept = 3") }
    }

    @Test func flagsWinOverConfigKeys() throws {
        let fromConfig = try #require(
            try request(
                [], config: "intercept = true\nno-intercept = [\"*.bank.example\"]\nreject-passthrough = 5"))
        #expect(fromConfig.passThrough.map(\.description) == ["*.bank.example"])
        #expect(fromConfig.rejectedHostPassThrough == .minutes(5))
        let fromFlags = try #require(
            try request(["--intercept", "--no-intercept", "pinned.example"], config: "no-intercept = [\"x.example\"]"))
        #expect(fromFlags.passThrough.map(\.description) == ["pinned.example"])
        #expect(fromFlags.rejectedHostPassThrough == .minutes(60))
    }

    @Test func badPatternsAndBadCAFilesAreClearErrors() throws {
        #expect(throws: CLIError.self) { try request(["--intercept", "--no-intercept", "https://x.example/"]) }
        #expect(throws: CLIError.self) { try request(["--intercept", "--reject-passthrough=-1"]) }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-cli-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let garbage = directory + "/garbage.pem"
        try "not a certificate".write(toFile: garbage, atomically: true, encoding: .utf8)
        for file in [garbage, directory + "/missing.pem"] {
            let request = try #require(try request(["--intercept", "--upstream-ca", file]))
            #expect(throws: CLIError.self) { _ = try request.settings(dataDirectory: directory, announce: { _ in }) }
        }
    }

    @Test func theCAIsMadeOnFirstUseAndReusedAfter() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-cli-\(UUID())").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let request = try #require(try request(["--intercept"]))
        var announcements: [String] = []
        let first = try request.settings(dataDirectory: directory) { announcements.append($0) }
        let second = try request.settings(dataDirectory: directory) { announcements.append($0) }
        #expect(announcements.count == 1 && announcements[0].contains("http://crumbs.internal/"))
        #expect(first.issuer.authorityCertificate == second.issuer.authorityCertificate)
        let roots = try InterceptionRequest.certificates(inPEMFile: CAStore(dataDirectory: directory).certificatePath)
        #expect(roots.count == 1)
    }
}
