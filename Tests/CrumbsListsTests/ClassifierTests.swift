import CrumbsLists
import CrumbsModel
import Foundation
import Testing

/// The classifier with real lists: EasyPrivacy, the curated list and the current PSL.
struct ClassifierTests {
    static let repository = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Loaded once for all tests (a debug build takes seconds to compile EasyPrivacy).
    static let loaded = Result { try loadRealLists() }

    static func realLists() throws -> LoadedLists { try loaded.get() }

    private static func loadRealLists() throws -> LoadedLists {
        let catalog = ListCatalog(
            sources: ListSources(
                dataDirectory: "/nonexistent", curatedDirectory: repository.appendingPathComponent("Blocklists").path,
                systemRoot: "/nonexistent"),
            userLists: [try ReferenceData.uBlockList("easyprivacy.txt").path],
            useDefaults: true,
            publicSuffixPath: try ReferenceData.url(ReferenceData.currentList).path
        )
        let (lists, entries, warnings) = catalog.load()
        #expect(warnings.isEmpty, "\(warnings)")
        #expect(entries.map(\.name).contains("easyprivacy.txt"))
        return lists
    }

    @Test func analyticsOnANewsSiteIsAThirdPartyTrackerOwnedByGoogle() throws {
        let classifier = RequestClassifier(lists: try Self.realLists())
        let verdict = classifier.classify(
            url: "https://www.google-analytics.com/analytics.js", host: "www.google-analytics.com", type: .script,
            firstPartySite: "news.example")
        #expect(verdict.isThirdParty && verdict.isTracker && !verdict.isSameOwner)
        #expect(verdict.company == "Google")
        #expect(verdict.categories.first == "analytics")
        #expect(verdict.lists.contains("easyprivacy.txt"))
        #expect(verdict.rule?.contains("google-analytics") == true)
        #expect(verdict.ruleLocation?.hasPrefix("easyprivacy.txt:") == true)
    }

    @Test func sameOwnerCDNIsNotAThirdParty() throws {
        let classifier = RequestClassifier(lists: try Self.realLists())
        let verdict = classifier.classify(
            url: "https://static.xx.fbcdn.net/rsrc.php/v3/y/x.css", host: "static.xx.fbcdn.net", type: .stylesheet,
            firstPartySite: "facebook.com")
        #expect(verdict.isSameOwner)
        #expect(!verdict.isThirdParty)
        #expect(verdict.company == "Meta")
    }

    @Test func firstPartyAssetIsNothing() throws {
        let classifier = RequestClassifier(lists: try Self.realLists())
        let verdict = classifier.classify(
            url: "https://www.news.example/css/site.css", host: "www.news.example", type: .stylesheet,
            firstPartySite: "news.example")
        #expect(!verdict.isThirdParty && !verdict.isTracker && verdict.lists.isEmpty && verdict.company == nil)
    }

    @Test func eventsAreAttributedThenClassifiedOnce() throws {
        let classifier = EventClassifier(lists: try Self.realLists())
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let page = RequestEvent(
            time: start, clientAddress: "127.0.0.1", method: "GET", scheme: "http", host: "www.news.example", port: 80,
            path: "/", contentType: "text/html")
        let pixel = RequestEvent(
            time: start.addingTimeInterval(1), clientAddress: "127.0.0.1", method: "GET", scheme: "http",
            host: "www.google-analytics.com", port: 80, path: "/collect", refererSite: "news.example")
        let tunnel = RequestEvent(
            time: start.addingTimeInterval(2), clientAddress: "127.0.0.1", kind: .tunnel, method: "CONNECT",
            scheme: "https", host: "connect.facebook.net", port: 443)
        let classified = classifier.classify([page, pixel, tunnel]).map { $0.classification! }
        #expect(classified[0].attribution == .navigation && classified[0].firstPartySite == "news.example")
        #expect(!classified[0].isThirdParty && !classified[0].isTracker)
        #expect(classified[1].attribution == .referer && classified[1].isTracker && classified[1].company == "Google")
        #expect(classified[2].attribution == .timeWindow && classified[2].confidence == .low)
        #expect(classified[2].isThirdParty && classified[2].isTracker && classified[2].company == "Meta")
    }

    @Test func aMissingListIsAWarningAndTheOthersStillLoad() throws {
        let catalog = ListCatalog(
            sources: ListSources(dataDirectory: "/nonexistent", curatedDirectory: nil, systemRoot: "/nonexistent"),
            userLists: [
                "/nonexistent/list.txt", try ReferenceData.uBlockList("easyprivacy.txt").path,
            ],
            useDefaults: false, publicSuffixPath: nil)
        let (lists, entries, warnings) = catalog.load()
        #expect(warnings.count == 1)
        #expect(warnings.first?.contains("/nonexistent/list.txt") == true)
        #expect(entries.map(\.name) == ["easyprivacy.txt"])
        #expect(lists.filters.listNames == ["easyprivacy.txt"])
    }
}
