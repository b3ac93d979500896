import Foundation
import Testing

@testable import CrumbsLists

/// The parsers against the real lists the repository carries (`Tests/Fixtures/Reference`),
/// checked against the counts of those files, and the merged map's answers for well-known hosts.
/// Today's Disconnect and DuckDuckGo lists are non-commercial and not carried; their formats are
/// tested on hand-written files (`EntityListParserTests`).
@Suite("Entity lists (reference copies)")
struct EntityReferenceTests {
    @Test func gplSnapshotIsTheBareFormWithSevenCategories() throws {
        let entities = try RealLists.disconnectSnapshotEntities()
        #expect(entities.form == .bare)
        #expect(entities.entities.count == 1_283)
        #expect(entities.domains.count == 2_905)
        let services = try RealLists.disconnectSnapshotServices()
        let readme: [String: (Int, Int)] = [
            "Advertising": (964, 1_678), "Analytics": (201, 302), "Content": (103, 483), "Fingerprinting": (94, 124),
            "Social": (15, 42), "Cryptomining": (18, 69), "Disconnect": (3, 45),
        ]
        #expect(Set(services.categoryNames) == Set(readme.keys))
        // Five Yandex Advertising entries are URL paths, counted as domains by the README.
        let paths = services.report.skippedSamples.filter { $0.reason == .pathEntry }
        #expect(paths.count == 5 && paths.allSatisfy { $0.location == "Advertising/Yandex" })
        for (category, expected) in readme {
            let counts = services.counts(in: category)
            let skippedPaths = category == "Advertising" ? paths.count : 0
            #expect(counts.companies == expected.0 && counts.domains + skippedPaths == expected.1, "\(category)")
        }
        #expect(services.domains.count + paths.count == 2_642)
        #expect(services.report.unknownCategories.isEmpty)
    }

    @Test func lightbeamMatchesTheREADME() throws {
        let list = try RealLists.lightbeam()
        #expect(list.form == .bare)
        #expect(list.entities.count == 974)
        #expect(list.propertyCount == 2_013)
        #expect(list.resourceCount == 1_853)
        #expect(list.domains.count == 2_123)
        #expect(list.report.skipped == 0)
    }

    @Test func privacyBadgerMatchesTheREADME() throws {
        let list = try RealLists.socialWidgets()
        #expect(list.widgets.count == 18)
        // 23 patterns as written; the README counts the 20 distinct ones (www.facebook.com serves four widgets).
        #expect(list.hostPatternCount == 23)
        #expect(Set(list.widgets.flatMap(\.hostPatterns)).count == 20)
        let psl = try PublicSuffixList(contentsOf: ReferenceData.url(ReferenceData.currentList))
        let sites = Set(list.widgets.flatMap(\.hosts).compactMap { psl.registrableDomain(of: $0) })
        #expect(sites.count == 16)
        #expect(list.widgets.first { $0.name == "Disqus" }?.hostPatterns.contains("*.disqus.com") == true)
        let kinds = Dictionary(grouping: list.widgets, by: \.kind).mapValues(\.count)
        // Coub, Facebook Comments and Video, SoundCloud, Spotify, Streamable, Twitch, Vimeo, YouTube.
        #expect(kinds[.embed] == 9)
        #expect(list.widgets.first { $0.name == "Twitter" }?.kind == .button)
    }

    @Test func doubleClickRollsUpToGoogleThroughOwnedBy() throws {
        let data = try RealLists.duckDuckGoFixture()
        #expect(data.trackers["doubleclick.net"]?.owner?.name == "Google Ads")
        let map = EntityMap([data.contribution])
        #expect(map.company(of: "securepubads.g.doubleclick.net") == "Google")
        #expect(map.company(of: "www.youtube.com") == "Google")
        #expect(map.sameOwner("doubleclick.net", "googletagmanager.com"))
        #expect(map.sameOwner("securepubads.g.doubleclick.net", "youtube.com"))
    }

    @Test(arguments: ["disconnect", "lightbeam", "full"])
    func fbcdnAndFacebookHaveTheSameOwnerInEveryList(list: String) throws {
        let map: EntityMap
        switch list {
        case "disconnect": map = EntityMap([try RealLists.disconnectSnapshotEntities().contribution])
        case "lightbeam": map = EntityMap([try RealLists.lightbeam().contribution])
        default: map = try RealLists.fullMap()
        }
        #expect(map.sameOwner("fbcdn.net", "facebook.com"))
        #expect(map.sameOwner("static.xx.fbcdn.net", "www.facebook.com"))
        #expect(!map.sameOwner("doubleclick.net", "facebook.com"))
    }

    @Test(arguments: [
        ("www.google-analytics.com", "Google", TrackerCategory.analytics),
        ("www.googletagmanager.com", "Google", .tagManager),
        ("securepubads.g.doubleclick.net", "Google", .advertising),
        ("connect.facebook.net", "Meta", .social),
        ("static.hotjar.com", "ContentSquare", .sessionReplay),
        ("cdn.cookielaw.org", "OneTrust", .consent),
        ("cdnjs.cloudflare.com", "Cloudflare", .content),
        ("s7.addthis.com", "Oracle", .social),
        ("platform.linkedin.com", "Microsoft", .social),
        ("ib.adnxs.com", "Microsoft", .advertising),
        ("sb.scorecardresearch.com", "Comscore", .analytics),
        ("www.clarity.ms", "Microsoft", .sessionReplay),
        ("coinhive.com", "Coinhive", .cryptomining),
        ("www.youtube.com", "Google", .content),
    ])
    func fullMapNamesOwnerAndCategory(host: String, company: String, category: TrackerCategory) throws {
        let match = try #require(try RealLists.fullMap().lookup(host))
        #expect(match.company == company)
        #expect(match.categories.contains(category), "\(host): \(match.categories)")
    }

    @Test func fullMapSummary() throws {
        let map = try RealLists.fullMap()
        let summary = map.summary
        print(
            "full map: \(summary.domains) domains, \(summary.companies) companies,",
            "owners by source \(summary.ownersBySource.sorted { $0.key < $1.key }.map { "\($0.key.rawValue) \($0.value)" }),",
            "\(summary.ownerConflicts) domains where a later list names another company")
        #expect(summary.domains > 3_000)
        #expect(map.lookup("www.facebook.com")?.widgets.contains("Facebook Like") == true)
        // A CloudFront customer is not Amazon for same-owner purposes.
        #expect(map.lookup("d1234abcd.cloudfront.net")?.onSharedHosting == true)
        #expect(!map.sameOwner("d1234abcd.cloudfront.net", "amazon.com"))
    }
}
