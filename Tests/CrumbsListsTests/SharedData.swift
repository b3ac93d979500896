import Foundation
import Testing

/// Files under `shared/data`, the project's pinned reference data beside the repository.
enum SharedData {
    /// `shared/data`: `CRUMBS_SHARED_DATA` when set (scripts/test sets it), else `shared/data`
    /// beside the repository, found from this file (symlinks resolved, so a scratch package that
    /// links `Tests/CrumbsListsTests` finds it too), else the first `shared/data` above it.
    static let root: URL = {
        if let path = ProcessInfo.processInfo.environment["CRUMBS_SHARED_DATA"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        var folder = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()  // CrumbsListsTests
            .deletingLastPathComponent()  // Tests
            .deletingLastPathComponent()  // the repository
        for _ in 0..<6 {
            folder.deleteLastPathComponent()
            let candidate = folder.appendingPathComponent("shared/data")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
        }
        return URL(fileURLWithPath: #filePath).resolvingSymlinksInPath().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/data")
    }()

    /// The 2025-10-24 list that Debian's uBlock Origin ships (commit bf5fb1be).
    static let currentList = "debian/webext-ublock-origin/effective_tld_names.dat"
    /// The 2023-02-09 list of Debian's `publicsuffix` package.
    static let olderList = "debian/publicsuffix/public_suffix_list.dat"
    /// The PSL project's own test vectors (publicsuffix/list `tests/tests.txt`).
    static let testVectors = "upstream/publicsuffix-tests/tests.txt"

    /// The URL of `relativePath`, failing the test with a clear message when it is missing:
    /// a silent skip would hide a broken checkout.
    static func url(_ relativePath: String) throws -> URL {
        let url = root.appendingPathComponent(relativePath)
        try #require(
            FileManager.default.isReadableFile(atPath: url.path),
            "missing reference file \(url.path): these tests need shared/data beside the repository")
        return url
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }
}
