import Foundation
import Testing

@testable import CrumbsLists

/// Paths for the entity-map tests: hand-made fixtures, the repository's `Blocklists/`, and the
/// licence-compatible real lists in `Tests/Fixtures/Reference`.
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

/// The real lists the repository carries, parsed once; and the hand-written DuckDuckGo file, as
/// the real one is non-commercial.
enum RealLists {
    static func disconnectSnapshotServices() throws -> DisconnectServices {
        try DisconnectServices(
            contentsOf: ReferenceData.url(ReferenceData.disconnectSnapshotServices), source: .disconnectSnapshot)
    }

    static func disconnectSnapshotEntities() throws -> DisconnectEntities {
        try DisconnectEntities(
            contentsOf: ReferenceData.url(ReferenceData.disconnectSnapshotEntities), source: .disconnectSnapshot)
    }

    static func duckDuckGoFixture() throws -> DuckDuckGoTrackerData {
        try DuckDuckGoTrackerData(contentsOf: EntityFixtures.url("duckduckgo-tds.json"))
    }

    static func lightbeam() throws -> DisconnectEntities {
        try DisconnectEntities(contentsOf: ReferenceData.url(ReferenceData.lightbeam), source: .lightbeam)
    }

    static func socialWidgets() throws -> SocialWidgetList {
        try SocialWidgetList(contentsOf: ReferenceData.url(ReferenceData.socialWidgets))
    }

    /// Everything free to carry, merged the way `EntityMap.load` merges it; built once.
    static func fullMap() throws -> EntityMap {
        try builtFullMap.get()
    }

    private static let builtFullMap = Result { try buildFullMap() }

    private static func buildFullMap() throws -> EntityMap {
        EntityMap(
            [
                try EntityFixtures.curated().contribution, try disconnectSnapshotServices().contribution,
                try disconnectSnapshotEntities().contribution, try lightbeam().contribution,
                try socialWidgets().contribution,
            ], publicSuffixes: try PublicSuffixList(contentsOf: ReferenceData.url(ReferenceData.currentList)))
    }
}
