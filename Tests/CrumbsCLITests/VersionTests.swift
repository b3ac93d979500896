import Foundation
import Testing

@testable import crumbs

/// `crumbs --version` names the commit: from HEAD in a checkout (loose, packed or detached).
struct VersionTests {
    private func withGit(_ files: [String: String], _ body: (URL) throws -> Void) throws {
        let git = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-git-\(UUID())")
        defer { try? FileManager.default.removeItem(at: git) }
        for (path, text) in files {
            let url = git.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try body(git)
    }

    static let hash = "6aea1eb0123456789abcdef0123456789abcdef0"

    @Test func headIsReadLoosePackedOrDetached() throws {
        try withGit(["HEAD": "ref: refs/heads/main\n", "refs/heads/main": Self.hash + "\n"]) {
            #expect(CrumbsVersion.headCommit(gitDirectory: $0) == Self.hash)
        }
        try withGit([
            "HEAD": "ref: refs/heads/main\n",
            "packed-refs": "# pack-refs with: peeled fully-peeled sorted\n\(Self.hash) refs/heads/main\n",
        ]) { #expect(CrumbsVersion.headCommit(gitDirectory: $0) == Self.hash) }
        try withGit(["HEAD": Self.hash + "\n"]) { #expect(CrumbsVersion.headCommit(gitDirectory: $0) == Self.hash) }
    }

    @Test func aBrokenOrMissingHeadGivesNoCommit() throws {
        try withGit(["HEAD": "ref: refs/heads/gone\n"]) { #expect(CrumbsVersion.headCommit(gitDirectory: $0) == nil) }
        try withGit(["HEAD": "not a hash\n"]) { #expect(CrumbsVersion.headCommit(gitDirectory: $0) == nil) }
        try withGit([:]) { #expect(CrumbsVersion.headCommit(gitDirectory: $0) == nil) }
    }

    /// This test binary is built inside the checkout: the version names its HEAD.
    @Test func aBuildInACheckoutNamesItsCommit() {
        #expect(CrumbsVersion.description.hasPrefix("crumbs \(CrumbsVersion.number) (commit "))
    }
}
