import Foundation
import Testing

@testable import CrumbsLists

/// Paths for the entity-map tests: hand-made fixtures, the repository's `Blocklists/`, and the
/// entity and category lists in `shared/data`.
enum EntityFixtures {
    /// The repository root, found from this file (symlinks resolved, so a scratch package that
    /// links `Tests/CrumbsListsTests` finds the real one).
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent()  // CrumbsListsTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    static let fixtures = repository.appendingPathComponent("Tests/Fixtures/EntityLists")
    static let blocklists = repository.appendingPathComponent("Blocklists")

    /// A fixture file; fails the test with a clear message when it is missing.
    static func url(_ name: String) throws -> URL {
        let url = fixtures.appendingPathComponent(name)
        try #require(FileManager.default.isReadableFile(atPath: url.path), "missing fixture \(url.path)")
        return url
    }

    static func blocklist(_ name: String) throws -> URL {
        let url = blocklists.appendingPathComponent(name)
        try #require(FileManager.default.isReadableFile(atPath: url.path), "missing curated list \(url.path)")
        return url
    }

    /// The project's curated list, both files.
    static func curated() throws -> CuratedList {
        try CuratedList(
            trackersAt: blocklist("crumbs-trackers.tsv"), entitiesAt: blocklist("crumbs-entities.tsv"))
    }
}

extension SharedData {
    static let disconnectServices = "upstream/disconnect/services.json"
    static let disconnectEntities = "upstream/disconnect/entities.json"
    static let disconnectSnapshotServices = "upstream/disconnect-gpl-2020-06-17/services.json"
    static let disconnectSnapshotEntities = "upstream/disconnect-gpl-2020-06-17/entities.json"
    static let duckDuckGo = "upstream/duckduckgo/extension-tds.json"
    static let lightbeam = "debian/webext-lightbeam/disconnect-entitylist.json"
    static let socialWidgets = "debian/webext-privacy-badger/socialwidgets.json"
}

/// The real lists, parsed once: the DuckDuckGo file alone is 2.3 MB.
enum RealLists {
    static func disconnectServices() throws -> DisconnectServices {
        try DisconnectServices(contentsOf: SharedData.url(SharedData.disconnectServices))
    }

    static func disconnectEntities() throws -> DisconnectEntities {
        try DisconnectEntities(contentsOf: SharedData.url(SharedData.disconnectEntities))
    }

    static func duckDuckGo() throws -> DuckDuckGoTrackerData {
        try DuckDuckGoTrackerData(contentsOf: SharedData.url(SharedData.duckDuckGo))
    }

    static func lightbeam() throws -> DisconnectEntities {
        try DisconnectEntities(contentsOf: SharedData.url(SharedData.lightbeam), source: .lightbeam)
    }

    static func socialWidgets() throws -> SocialWidgetList {
        try SocialWidgetList(contentsOf: SharedData.url(SharedData.socialWidgets))
    }

    /// Everything the tests have, merged the way `EntityMap.load` merges it; built once.
    static func fullMap() throws -> EntityMap {
        try builtFullMap.get()
    }

    private static let builtFullMap = Result { try buildFullMap() }

    private static func buildFullMap() throws -> EntityMap {
        EntityMap(
            [
                try EntityFixtures.curated().contribution, try disconnectServices().contribution,
                try disconnectEntities().contribution, try duckDuckGo().contribution, try lightbeam().contribution,
                try socialWidgets().contribution,
            ], publicSuffixes: try PublicSuffixList(contentsOf: SharedData.url(SharedData.currentList)))
    }
}
