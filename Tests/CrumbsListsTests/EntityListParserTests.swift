import Foundation
import Testing

@testable import CrumbsLists

/// Every parser against small hand-made fixtures in `Tests/Fixtures/EntityLists`.
@Suite("Entity list parsers (fixtures)")
struct EntityListParserTests {
    typealias Reason = EntityListReport.SkipReason

    @Test func disconnectServicesKeepsCategoriesFlagsAndSkipsBadEntries() throws {
        let list = try DisconnectServices(contentsOf: EntityFixtures.url("disconnect-services.json"))
        #expect(list.report.path?.hasSuffix("disconnect-services.json") == true)
        #expect(list.categoryNames.contains("Mystery"))
        #expect(list.counts(in: "Advertising") == (companies: 2, domains: 4))
        #expect(list.companies.count == 8)
        let replay = try #require(list.services.first { $0.company == "ContentSquare" })
        #expect(replay.isSessionReplay)
        #expect(replay.categories == [.analytics, .sessionReplay])
        // `DoubleClick.net` is the same domain as `doubleclick.net` once lower-cased.
        #expect(list.report.skippedByReason[Reason.duplicateDomain] == 1)
        #expect(list.report.skippedByReason[Reason.pathEntry] == 1)
        #expect(list.report.skippedByReason[Reason.invalidDomain] == 1)
        #expect(list.report.skippedByReason[Reason.wrongType] == 2)  // 42, and "Broken": "not a list"
        #expect(list.report.unknownCategories == ["Mystery": 1, "Broken": 1])
        let acme = try #require(list.services.first { $0.company == "Acme" })
        #expect(acme.categories == [.other])
    }

    @Test func disconnectServicesContributionUnitesCategoriesPerDomain() throws {
        let list = try DisconnectServices(contentsOf: EntityFixtures.url("disconnect-services.json"))
        let map = EntityMap([list.contribution])
        #expect(map.categories(of: "static.criteo.net") == [.advertising, .fingerprinting])
        #expect(map.categories(of: "cdn.cookielaw.org") == [.consent])
        #expect(map.categories(of: "px-cloud.net") == [.other])
        #expect(map.categories(of: "list-manage.com") == [.email])
        #expect(map.company(of: "script.hotjar.com") == "ContentSquare")
    }

    @Test func disconnectEntitiesReadsTheWrappedForm() throws {
        let list = try DisconnectEntities(contentsOf: EntityFixtures.url("disconnect-entities.json"))
        #expect(list.form == .wrapped)
        #expect(list.license?.hasPrefix("Hand-made") == true)
        #expect(list.entities.map(\.name) == ["Copycat", "Criteo", "Google", "Meta"])
        // Copycat comes first by name, so it keeps fbcdn.net and Meta's claim is the duplicate.
        let meta = try #require(list.entities.first { $0.name == "Meta" })
        #expect(meta.resources == ["facebook.net"])
        #expect(list.report.skippedByReason[Reason.duplicateDomain] == 1)
        #expect(list.report.skippedByReason[Reason.invalidDomain] == 1)
        #expect(list.report.skippedByReason[Reason.wrongType] == 1)
        let copycat = try #require(list.entities.first { $0.name == "Copycat" })
        #expect(copycat.resources == ["cdn.copycat.example"])
        // youtube.com is both a property and a resource of Google: one fact, counted in both lists.
        #expect(list.propertyCount == 7)
        #expect(list.contribution.facts.filter { $0.domain == "youtube.com" }.count == 1)
    }

    @Test func lightbeamUsesTheBareForm() throws {
        let list = try DisconnectEntities(
            contentsOf: EntityFixtures.url("lightbeam-entitylist.json"), source: .lightbeam)
        #expect(list.form == .bare)
        #expect(list.license == nil)
        #expect(list.entities.count == 3)
        #expect(list.propertyCount == 5)
        #expect(list.resourceCount == 7)
        #expect(list.domains.count == 10)
        #expect(list.report.list == "Lightbeam disconnect-entitylist.json")
        #expect(list.contribution.source == .lightbeam)
    }

    @Test func duckDuckGoRollsOwnersUpThroughOwnedBy() throws {
        let data = try DuckDuckGoTrackerData(contentsOf: EntityFixtures.url("duckduckgo-tds.json"))
        #expect(data.trackers.count == 6)
        #expect(data.entities.count == 4)
        #expect(data.domains.count == 8)
        #expect(data.report.skippedByReason[Reason.wrongType] == 1)
        #expect(data.report.skippedByReason[Reason.invalidDomain] == 1)
        #expect(data.report.unknownCategories == ["Brand New Category": 1])
        #expect(data.parents == ["Google Ads": "Google LLC"])
        #expect(data.company(ofEntity: "Google Ads") == "Google")
        #expect(data.company(ofEntity: "Facebook, Inc.") == "Facebook")
        let tracker = try #require(data.trackers["doubleclick.net"])
        #expect(tracker.prevalence == 0.533)
        #expect(tracker.fingerprinting == 3)
        #expect(tracker.owner?.ownedBy == "Google LLC")
    }

    @Test func duckDuckGoContributionMapsCategories() throws {
        let data = try DuckDuckGoTrackerData(contentsOf: EntityFixtures.url("duckduckgo-tds.json"))
        let map = EntityMap([data.contribution])
        let gtm = try #require(map.lookup("www.googletagmanager.com"))
        #expect(gtm.company == "Google")
        #expect(gtm.categories == [.tagManager])
        #expect(gtm.prevalence == 0.684)
        #expect(map.categories(of: "connect.facebook.net") == [.analytics, .advertising, .social])
        #expect(map.categories(of: "static.hotjar.com") == [.analytics, .sessionReplay])
        // An unknown DuckDuckGo category is `.other`, dropped beside a known one.
        #expect(map.categories(of: "cdn.example-cdn.net") == [.content])
        // A blocked tracker without categories is still a tracker.
        #expect(map.categories(of: "quiet-tracker.example") == [.other])
        #expect(map.sameOwner("fbcdn.net", "facebook.com"))
    }

    @Test func socialWidgetsTellButtonsFromEmbedsAndWidgets() throws {
        let list = try SocialWidgetList(contentsOf: EntityFixtures.url("socialwidgets.json"))
        #expect(list.widgets.map(\.name) == ["Disqus", "Facebook Like", "Twitter", "YouTube"])
        #expect(list.hostPatternCount == 7)
        let disqus = try #require(list.widgets.first { $0.name == "Disqus" })
        #expect(disqus.kind == .widget)
        #expect(disqus.hostPatterns == ["disqus.com", "*.disqus.com"])
        #expect(disqus.hosts == ["disqus.com"])
        #expect(list.widgets.first { $0.name == "Twitter" }?.kind == .button)
        #expect(list.widgets.first { $0.name == "Facebook Like" }?.kind == .button)
        #expect(list.widgets.first { $0.name == "YouTube" }?.kind == .embed)
        #expect(list.report.skippedByReason[Reason.wrongType] == 2)  // "Nowhere" has no host, "Broken" is 7
        let map = EntityMap([list.contribution])
        let twitter = try #require(map.lookup("platform.twitter.com"))
        #expect(twitter.company == nil)
        #expect(twitter.categories == [.social])
        #expect(twitter.widgets == ["Twitter"])
        #expect(map.categories(of: "c.disqus.com") == [.content])
    }

    @Test(arguments: [
        "disconnect-services.json", "disconnect-entities.json", "duckduckgo-tds.json", "socialwidgets.json",
    ])
    func missingFileIsAnErrorNamingIt(name: String) {
        let url = URL(fileURLWithPath: "/nonexistent/\(name)")
        let error = #expect(throws: EntityListError.self) {
            switch name {
            case "disconnect-services.json": _ = try DisconnectServices(contentsOf: url)
            case "disconnect-entities.json": _ = try DisconnectEntities(contentsOf: url)
            case "duckduckgo-tds.json": _ = try DuckDuckGoTrackerData(contentsOf: url)
            default: _ = try SocialWidgetList(contentsOf: url)
            }
        }
        #expect(error?.code == .unreadable)
        #expect(error?.path == url.path)
        #expect(error?.description.contains(url.path) == true)
    }

    @Test func malformedJSONIsAnErrorNotACrash() throws {
        let notJSON = try EntityFixtures.url("not-json.json")
        #expect(throws: EntityListError.self) { try DuckDuckGoTrackerData(contentsOf: notJSON) }
        do {
            _ = try DisconnectServices(contentsOf: notJSON)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .notJSON)
            #expect(error.list == "Disconnect services.json")
        }
        let array = try EntityFixtures.url("wrong-shape.json")
        do {
            _ = try DisconnectEntities(contentsOf: array)
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .unexpectedShape)
        }
        #expect(throws: EntityListError.self) { try SocialWidgetList(contentsOf: array) }
    }

    @Test func objectsOfTheWrongKindAreRejected() {
        let data = Data(#"{"license": "x", "categories": {}}"#.utf8)
        #expect(throws: EntityListError.self) { try DisconnectEntities(data: data) }
        #expect(throws: EntityListError.self) { try DuckDuckGoTrackerData(data: data) }
        #expect(throws: EntityListError.self) { try DisconnectServices(data: Data(#"{"entities": {}}"#.utf8)) }
    }

    /// Found by scripts/fuzz: a number too large for an Int trapped the parser.
    @Test func hugeNumbersInATrackerDataFileAreDroppedNotFatal() throws {
        let data = Data(
            #"""
            {"trackers": {"a.example": {"domain": "a.example", "fingerprinting": 300000000000000000000000000,
              "prevalence": 1e308, "owner": {"name": "A"}}}, "entities": {}, "domains": {}}
            """#.utf8)
        let parsed = try DuckDuckGoTrackerData(data: data)
        #expect(parsed.trackers["a.example"]?.fingerprinting == nil)
        #expect(parsed.trackers["a.example"]?.prevalence == 1e308)
    }
}
