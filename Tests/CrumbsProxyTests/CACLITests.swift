import CrumbsTestSupport
import Foundation
import Testing

extension EndToEnd {
    /// `crumbs ca init` and `crumbs ca show --json`, as a user runs them.
    @Suite(.timeLimit(.minutes(1)))
    struct CACLITests {
        @Test func caShowAsJSONGivesTheFactsATrustStoreIsComparedWith() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-ca-cli-\(UUID())")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try Unprivileged.handOver(directory)
            let (created, _, createErrors) = try ListsCLITests.crumbs(["ca", "init", "--data-dir", directory.path])
            #expect(created == 0, "\(createErrors)")
            let (status, output, errors) = try ListsCLITests.crumbs([
                "ca", "show", "--json", "--data-dir", directory.path,
            ])
            #expect(status == 0, "\(errors)")
            let facts = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [String: String])
            #expect(facts["keyState"] == "ok")
            #expect(facts["certificate"] == directory.path + "/ca/crumbs-ca.pem")
            #expect(facts["sha256"]?.split(separator: ":").count == 32)
            #expect(facts["spkiSHA256"]?.count == 44)
            #expect(facts["subject"]?.contains("Crumbs local CA") == true)
        }

        /// Auto interception is the default: a broken local CA turns it off, with the reason,
        /// and the proxy still runs; `--intercept` asked for it, so there the error stops it.
        @Test func aBrokenCAStopsOnlyAnExplicitIntercept() throws {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-ca-broken-\(UUID())")
            let ca = directory.appendingPathComponent("ca")
            try FileManager.default.createDirectory(at: ca, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            for name in ["crumbs-ca.pem", "crumbs-ca-key.pem"] {
                try "not a certificate".write(to: ca.appendingPathComponent(name), atomically: true, encoding: .utf8)
            }
            try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: directory.path)
            let crumbs = try CrumbsProcess(dataDirectory: directory)
            #expect(crumbs.terminate() == 0)
            #expect(crumbs.log.contains("interception off: the local CA could not be loaded"), "\(crumbs.log)")
            #expect(throws: (any Error).self) {
                _ = try CrumbsProcess(arguments: ["--intercept"], dataDirectory: directory)
            }
        }
    }
}
