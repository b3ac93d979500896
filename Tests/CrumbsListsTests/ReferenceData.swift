import Foundation
import Testing

/// Real lists the tests read: licence-compatible copies under `Tests/Fixtures/Reference` (see
/// `Tests/Fixtures/SOURCES.md`), and EasyList / EasyPrivacy from the Debian package that
/// scripts/test installs. Nothing outside the repository but that package.
enum ReferenceData {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/Reference")

    /// The 2025-10-24 list that Debian's uBlock Origin ships (commit bf5fb1be).
    static let currentList = "psl/effective_tld_names-2025-10-24.dat"
    /// The 2023-02-09 list of Debian's `publicsuffix` package.
    static let olderList = "psl/public_suffix_list-2023-02-09.dat"
    /// The PSL project's own test vectors (publicsuffix/list `tests/tests.txt`).
    static let testVectors = "psl/tests.txt"
    static let disconnectSnapshotServices = "disconnect-gpl-2020-06-17/services.json"
    static let disconnectSnapshotEntities = "disconnect-gpl-2020-06-17/entities.json"
    static let lightbeam = "lightbeam/disconnect-entitylist.json"
    static let socialWidgets = "privacy-badger/socialwidgets.json"

    /// EasyList and EasyPrivacy as Debian's `webext-ublock-origin-firefox` installs them.
    static let uBlockLists = URL(
        fileURLWithPath:
            "/usr/share/mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/uBlock0@raymondhill.net/assets/thirdparties/easylist"
    )

    /// The URL of `relativePath` under the reference folder, failing the test with a clear
    /// message when it is missing: a silent skip would hide a broken checkout.
    static func url(_ relativePath: String) throws -> URL {
        let url = root.appendingPathComponent(relativePath)
        try #require(FileManager.default.isReadableFile(atPath: url.path), "missing reference file \(url.path)")
        return url
    }

    static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: url(relativePath), encoding: .utf8)
    }

    /// `easylist.txt` or `easyprivacy.txt` from the Debian package.
    static func uBlockList(_ name: String) throws -> URL {
        let url = uBlockLists.appendingPathComponent(name)
        try #require(
            FileManager.default.isReadableFile(atPath: url.path),
            "missing \(url.path): scripts/test installs webext-ublock-origin-firefox")
        return url
    }
}
