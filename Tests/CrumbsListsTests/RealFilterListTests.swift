import CrumbsLists
import Foundation
import Testing

/// EasyList and EasyPrivacy as Debian's uBlock Origin package installs them (scripts/test
/// installs it), with the repository's copy of the Public Suffix List from the same package. Cases were cross-checked with adblock-rust.
@Suite struct RealFilterListTests {
    struct Loaded: Sendable {
        var engine: FilterEngine
        var lists: [FilterList]
        var sites: PublicSuffixList
    }

    /// Loaded once for the whole suite: a debug build takes about a second per load.
    static let shared = Result { try load() }

    static func load() throws -> Loaded {
        let lists = try ["easylist.txt", "easyprivacy.txt"].map { name in
            try FilterList(contentsOf: ReferenceData.uBlockList(name))
        }
        let sites = try PublicSuffixList(contentsOf: ReferenceData.url(ReferenceData.currentList))
        return Loaded(engine: FilterEngine(lists: lists), lists: lists, sites: sites)
    }

    func decide(_ loaded: Loaded, _ url: String, from source: String?, _ type: ResourceType) -> FilterDecision {
        loaded.engine.decide(FilterRequest(url: url, sourceURL: source, type: type, sites: loaded.sites))
    }

    @Test func listsLoadWithTheirCounts() throws {
        let loaded = try Self.shared.get()
        let easylist = loaded.lists[0].counts
        let easyprivacy = loaded.lists[1].counts
        #expect(easylist.networkRules > 45_000 && easyprivacy.networkRules > 50_000)
        #expect(easylist.exceptionRules > 400 && easyprivacy.exceptionRules > 600)
        #expect(loaded.lists[0].skippedCounts[.cosmetic, default: 0] > 20_000)
        #expect(loaded.lists[0].skippedCounts[.popupOnly, default: 0] > 3_000)
        #expect(easyprivacy.badfilter >= 1 && easyprivacy.important >= 1 && easyprivacy.regex >= 1)
        #expect(loaded.engine.statistics.fallbackRules < 100)
        #expect(
            loaded.engine.statistics.rules == easylist.networkRules + easyprivacy.networkRules
                - loaded.engine.statistics.cancelledByBadfilter)
    }

    @Test func googleAnalyticsIsBlockedByEasyPrivacy() throws {
        let loaded = try Self.shared.get()
        let decision = decide(
            loaded, "https://www.google-analytics.com/analytics.js", from: "https://example.com/", .script)
        #expect(decision.blocked)
        #expect(decision.rule?.list == "easyprivacy.txt")
        #expect(decision.rule?.text.contains("google-analytics") == true)
        let line = try #require(decision.rule?.line)
        let text = try String(contentsOf: ReferenceData.uBlockList("easyprivacy.txt"), encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(String(lines[line - 1]) == decision.rule?.text)
    }

    @Test(arguments: [
        (
            "https://www.googletagmanager.com/gtm.js?id=GTM-XXXX", "https://example.com/", ResourceType.script,
            "easyprivacy.txt"
        ),
        ("https://www.facebook.com/tr/?id=1&ev=PageView", "https://example.com/", .image, "easyprivacy.txt"),
        ("https://sb.scorecardresearch.com/beacon.js", "https://example.com/", .script, "easyprivacy.txt"),
        (
            "https://pagead2.googlesyndication.com/pagead/js/adsbygoogle.js", "https://www.nytimes.com/", .script,
            "easylist.txt"
        ),
        ("https://ad.doubleclick.net/ddm/adj/N1234/", "https://example.com/", .script, "easylist.txt"),
    ])
    func knownTrackersAreBlocked(url: String, source: String, type: ResourceType, list: String) throws {
        let loaded = try Self.shared.get()
        let decision = decide(loaded, url, from: source, type)
        #expect(decision.blocked, "\(url)")
        #expect(decision.rule?.list == list)
        #expect(
            loaded.engine.matchingLists(FilterRequest(url: url, sourceURL: source, type: type, sites: loaded.sites))
                .contains(list))
    }

    @Test(arguments: [
        ("https://example.com/", nil, ResourceType.document),
        ("https://www.wikipedia.org/static/images/logo.png", "https://www.wikipedia.org/", .image),
        ("https://code.jquery.com/jquery-3.7.1.min.js", "https://example.com/", .script),
        ("https://www.example.com/assets/app.3f2a1b.js", "https://www.example.com/", .script),
    ])
    func ordinaryRequestsAreNotBlocked(url: String, source: String?, type: ResourceType) throws {
        let loaded = try Self.shared.get()
        let decision = decide(loaded, url, from: source, type)
        #expect(!decision.blocked, "\(url) blocked by \(String(describing: decision.rule))")
    }

    /// `||ad.doubleclick.net^` has no type option, so it matches a top-level visit too: a click
    /// or bounce through an ad server is a tracker request, as adblock-rust and uBO judge it.
    @Test func aPageLoadOfABlockedHostIsATrackerRequest() throws {
        let decision = decide(try Self.shared.get(), "https://ad.doubleclick.net/ddm/clk/N1234/", from: nil, .document)
        #expect(decision.blocked && decision.rule?.text == "||ad.doubleclick.net^")
    }

    @Test func listExceptionsLiftBlocks() throws {
        let loaded = try Self.shared.get()
        // `@@||survey.g.doubleclick.net^$script,domain=sporcle.com` over `||g.doubleclick.net^`.
        let survey = "https://survey.g.doubleclick.net/survey.js"
        let onSporcle = decide(loaded, survey, from: "https://www.sporcle.com/games", .script)
        #expect(!onSporcle.blocked)
        #expect(onSporcle.exception?.text == "@@||survey.g.doubleclick.net^$script,domain=sporcle.com")
        #expect(onSporcle.blockRule?.text == "||g.doubleclick.net^")
        #expect(decide(loaded, survey, from: "https://www.example.com/", .script).blocked)
        // `@@||analytics.casper.com/gtm.js$~third-party` over the generic `/gtm.js`.
        let casper = "https://analytics.casper.com/gtm.js"
        #expect(decide(loaded, casper, from: "https://casper.com/", .script).exception?.list == "easyprivacy.txt")
        #expect(decide(loaded, casper, from: "https://example.com/", .script).blocked)
        // `@@||adobedtm.com/launch-$script,xmlhttprequest` over `||adobedtm.com^$third-party,…`.
        #expect(
            !decide(loaded, "https://assets.adobedtm.com/launch-EN1234.min.js", from: "https://example.com/", .script)
                .blocked)
        #expect(decide(loaded, "https://assets.adobedtm.com/other.js", from: "https://example.com/", .script).blocked)
    }

    @Test func thirdPartyRulesSpareTheSiteItself() throws {
        let loaded = try Self.shared.get()
        let decision = decide(
            loaded, "https://sb.scorecardresearch.com/p?c1=2", from: "https://www.scorecardresearch.com/", .image)
        #expect(decision.rule?.text != "||scorecardresearch.com^$third-party")
    }
}
