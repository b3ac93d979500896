import Foundation
import Testing

@testable import CrumbsLists

@Suite("List sources")
struct ListSourcesTests {
    static let sources = ListSources(
        dataDirectory: "/home/u/.local/share/crumbs", curatedDirectory: "/opt/crumbs/Blocklists")
    static let uBlockFirefox =
        "/usr/share/mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/uBlock0@raymondhill.net/assets/thirdparties"
    static let uBlockChromium = "/usr/share/chromium/extensions/ublock-origin/assets/thirdparties"

    @Test func downloadedListsComeBeforeBothUBlockCopies() {
        #expect(
            Self.sources.candidates(for: .easyPrivacy).map(\.path) == [
                "/home/u/.local/share/crumbs/lists/easyprivacy.txt",
                Self.uBlockFirefox + "/easylist/easyprivacy.txt",
                Self.uBlockChromium + "/easylist/easyprivacy.txt",
            ])
        #expect(
            Self.sources.candidates(for: .easyList).map(\.origin) == [
                .dataDirectory, .debianPackage("webext-ublock-origin-firefox"),
                .debianPackage("webext-ublock-origin-chromium"),
            ])
    }

    @Test func newerUBlockSuffixListComesBeforeThePublicsuffixPackage() {
        #expect(
            Self.sources.candidates(for: .publicSuffixList).map(\.path) == [
                "/home/u/.local/share/crumbs/lists/public_suffix_list.dat",
                Self.uBlockFirefox + "/publicsuffix.org/list/effective_tld_names.dat",
                Self.uBlockChromium + "/publicsuffix.org/list/effective_tld_names.dat",
                "/usr/share/publicsuffix/public_suffix_list.dat",
            ])
    }

    @Test func debianEntityListsAndCuratedListHaveTheirInstalledPaths() {
        #expect(
            Self.sources.candidates(for: .lightbeamEntities).map(\.path) == [
                "/usr/share/webext/lightbeam/ext-libs/disconnect-entitylist.json"
            ])
        #expect(
            Self.sources.candidates(for: .privacyBadgerSocialWidgets).map(\.path) == [
                "/usr/share/webext/privacy-badger/data/socialwidgets.json"
            ])
        #expect(
            Self.sources.candidates(for: .curatedTrackers).map(\.path) == ["/opt/crumbs/Blocklists/crumbs-trackers.tsv"]
        )
        #expect(Self.sources.candidates(for: .curatedEntities).first?.origin == .curated)
        // NC-SA lists only ever come from the data directory.
        #expect(Self.sources.candidates(for: .duckDuckGoTrackerData).map(\.origin) == [.dataDirectory])
        #expect(Self.sources.candidates(for: .disconnectEntities).map(\.origin) == [.dataDirectory])
    }

    @Test func resolvePicksTheFirstExistingCandidatePerKind() {
        let existing: Set<String> = [
            Self.uBlockChromium + "/easylist/easylist.txt",
            "/home/u/.local/share/crumbs/lists/easylist.txt",
            "/usr/share/publicsuffix/public_suffix_list.dat",
            "/opt/crumbs/Blocklists/crumbs-trackers.tsv",
        ]
        let resolved = Self.sources.resolve { existing.contains($0) }
        #expect(resolved[.easyList] == "/home/u/.local/share/crumbs/lists/easylist.txt")
        #expect(resolved[.publicSuffixList] == "/usr/share/publicsuffix/public_suffix_list.dat")
        #expect(resolved[.curatedTrackers] == "/opt/crumbs/Blocklists/crumbs-trackers.tsv")
        #expect(resolved[.easyPrivacy] == nil)
        #expect(resolved.chosen.count == 3)
    }

    @Test func systemRootPrefixesOnlyTheDebianPaths() {
        let rooted = ListSources(dataDirectory: "/d", curatedDirectory: nil, systemRoot: "/chroot")
        #expect(
            rooted.candidates(for: .lightbeamEntities).map(\.path) == [
                "/chroot/usr/share/webext/lightbeam/ext-libs/disconnect-entitylist.json"
            ])
        #expect(rooted.candidates(for: .disconnectServices).map(\.path) == ["/d/lists/disconnect-services.json"])
        #expect(rooted.candidates(for: .curatedTrackers).isEmpty)
        #expect(rooted.allCandidates.count == 15)
    }

    @Test func loadBuildsTheMapFromWhatIsFoundAndReportsBadFiles() throws {
        func candidate(_ kind: ListSources.Kind, _ file: String) throws -> ListSources.Candidate {
            ListSources.Candidate(kind: kind, path: try EntityFixtures.url(file).path, origin: .dataDirectory)
        }
        let files = ResolvedListFiles(chosen: [
            .curatedTrackers: try candidate(.curatedTrackers, "crumbs-trackers.tsv"),
            .curatedEntities: try candidate(.curatedEntities, "crumbs-entities.tsv"),
            .disconnectServices: try candidate(.disconnectServices, "disconnect-services.json"),
            .lightbeamEntities: try candidate(.lightbeamEntities, "lightbeam-entitylist.json"),
            .privacyBadgerSocialWidgets: try candidate(.privacyBadgerSocialWidgets, "socialwidgets.json"),
            // Found but not usable: reported, and the map is built from the rest.
            .duckDuckGoTrackerData: try candidate(.duckDuckGoTrackerData, "not-json.json"),
        ])
        let load = EntityMap.load(files, publicSuffixes: .builtIn)
        #expect(load.errors.map(\.code) == [.notJSON])
        #expect(load.errors.first?.path.hasSuffix("not-json.json") == true)
        #expect(
            load.reports.map(\.list) == [
                CuratedList.trackersListName, CuratedList.entitiesListName, DisconnectServices.listName,
                "Lightbeam disconnect-entitylist.json", SocialWidgetList.listName,
            ])
        #expect(load.map.company(of: "connect.facebook.net") == "Meta")
        #expect(load.map.company(of: "ib.adnxs.com") == "AppNexus")
        #expect(load.map.categories(of: "static.hotjar.com") == [.analytics, .sessionReplay])
        #expect(load.map.lookup("www.youtube.com")?.widgets == ["YouTube"])
        #expect(load.map.sameOwner("fbcdn.net", "instagram.com"))
    }
}
