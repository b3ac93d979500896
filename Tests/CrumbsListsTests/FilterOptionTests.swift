import CrumbsLists
import Testing

/// Options: party, types, domain=, denyallow=, exceptions, important, badfilter.
@Suite struct FilterOptionTests {
    let tracker = "https://tracker.example/t.js"

    @Test func thirdPartyComparesSitesNotHosts() {
        let rule = "||tracker.example^$third-party"
        #expect(Filters.blocks(rule, tracker, from: "https://news.org/"))
        #expect(!Filters.blocks(rule, tracker, from: "https://www.tracker.example/"))
        #expect(Filters.blocks("||cdn.news.co.uk^$3p", "https://cdn.news.co.uk/a.js", from: "https://other.co.uk/"))
        #expect(!Filters.blocks("||cdn.news.co.uk^$3p", "https://cdn.news.co.uk/a.js", from: "https://www.news.co.uk/"))
    }

    @Test(arguments: ["~third-party", "1p", "first-party"])
    func firstPartyOnly(option: String) {
        let rule = "||tracker.example^$\(option)"
        #expect(!Filters.blocks(rule, tracker, from: "https://news.org/"))
        #expect(Filters.blocks(rule, tracker, from: "https://tracker.example/"))
    }

    @Test func noPageCountsAsFirstParty() {
        #expect(!Filters.blocks("||tracker.example^$third-party", tracker, from: nil))
        #expect(Filters.blocks("||tracker.example^", tracker, from: nil))
    }

    @Test func callerMayDecideThePartyItself() {
        let engine = Filters.engine("||tracker.example^$third-party")
        let request = FilterRequest(url: tracker, sourceHost: "news.org", type: .script, isThirdParty: false)
        #expect(!engine.decide(request).blocked)
        #expect(request.host == "tracker.example")
    }

    @Test(arguments: [
        ("$script", ResourceType.script, true), ("$script", .image, false),
        ("$image", .image, true), ("$stylesheet", .stylesheet, true), ("$css", .stylesheet, true),
        ("$xmlhttprequest", .xmlhttprequest, true), ("$xhr", .xmlhttprequest, true),
        ("$subdocument", .subdocument, true), ("$frame", .subdocument, true),
        ("$ping", .ping, true), ("$beacon", .ping, true), ("$media", .media, true), ("$font", .font, true),
        ("$websocket", .websocket, true), ("$other", .other, true), ("$object", .object, true),
        ("$document", .document, true), ("$doc", .document, true), ("$document", .script, false),
        ("$script,image", .image, true), ("$script,image", .font, false),
        ("$~script", .script, false), ("$~script", .image, true), ("$~script", .document, true),
        ("$~script,~image", .font, true), ("$script,~script", .script, false),
        ("$all", .document, true), ("$popup,image", .image, true),
        // Without type options a rule matches page loads too (adblock-rust; uBO strict blocking).
        ("", .document, true), ("", .other, true), ("$third-party", .document, true),
        ("$first-party", .document, false),
    ])
    func types(options: String, type: ResourceType, blocked: Bool) {
        #expect(
            Filters.blocks("||tracker.example^" + options, tracker, from: "https://news.org/", type: type) == blocked,
            "\(options) for \(type)")
    }

    @Test func domainOptionWalksUpThePageHost() {
        let rule = "||tracker.example^$domain=a.com|~b.a.com"
        #expect(Filters.blocks(rule, tracker, from: "https://a.com/"))
        #expect(Filters.blocks(rule, tracker, from: "https://www.a.com/"))
        #expect(!Filters.blocks(rule, tracker, from: "https://b.a.com/"))
        #expect(!Filters.blocks(rule, tracker, from: "https://x.b.a.com/"))
        #expect(!Filters.blocks(rule, tracker, from: "https://other.com/"))
        #expect(!Filters.blocks(rule, tracker, from: "https://nota.com/"))
        #expect(!Filters.blocks(rule, tracker, from: nil))
    }

    @Test func negatedDomainsAloneExcludeOnlyThosePages() {
        let rule = "||tracker.example^$domain=~a.com|~b.org"
        #expect(Filters.blocks(rule, tracker, from: "https://c.net/"))
        #expect(!Filters.blocks(rule, tracker, from: "https://www.a.com/"))
        #expect(Filters.blocks(rule, tracker, from: nil))
        // An exclusion wins over an inclusion of a parent or child, as in uBlock and adblock-rust.
        #expect(!Filters.blocks("||tracker.example^$domain=~a.com|b.a.com", tracker, from: "https://b.a.com/"))
    }

    @Test func entityDomainsMatchTheSiteNameUnderAnySuffix() {
        let rule = "||tracker.example^$domain=google.*|~ads.google.com"
        #expect(Filters.blocks(rule, tracker, from: "https://www.google.co.uk/"))
        #expect(Filters.blocks(rule, tracker, from: "https://google.com/"))
        #expect(!Filters.blocks(rule, tracker, from: "https://ads.google.com/"))
        #expect(!Filters.blocks(rule, tracker, from: "https://google.example.org/"))
        #expect(!Filters.blocks("||tracker.example^$domain=~google.*", tracker, from: "https://mail.google.de/"))
        #expect(Filters.blocks("||tracker.example^$domain=~google.*", tracker, from: "https://news.org/"))
        // Without a site (a caller that decided the party itself), entities never match.
        let engine = Filters.engine(rule)
        let bare = FilterRequest(url: tracker, sourceHost: "www.google.com", type: .script, isThirdParty: true)
        #expect(!engine.decide(bare).blocked)
        let withSite = FilterRequest(
            url: tracker, sourceHost: "www.google.com", sourceSite: "google.com", type: .script, isThirdParty: true)
        #expect(engine.decide(withSite).blocked)
    }

    @Test func fromIsDomain() {
        #expect(Filters.blocks("||tracker.example^$from=a.com", tracker, from: "https://a.com/"))
        #expect(!Filters.blocks("||tracker.example^$from=a.com", tracker, from: "https://b.com/"))
    }

    @Test func denyallowSparesListedRequestHosts() {
        let rule = "*$script,3p,denyallow=cdn.example|static.example,domain=news.org"
        #expect(Filters.blocks(rule, "https://evil.example/x.js", from: "https://news.org/"))
        #expect(!Filters.blocks(rule, "https://a.cdn.example/x.js", from: "https://news.org/"))
        #expect(!Filters.blocks(rule, "https://evil.example/x.js", from: "https://other.org/"))
    }

    @Test func exceptionLiftsABlockAndIsReported() {
        let engine = Filters.engine("||tracker.example^\n@@||tracker.example/allowed/$script\n")
        let decision = engine.decide(Filters.request("https://tracker.example/allowed/a.js"))
        #expect(!decision.blocked)
        #expect(decision.rule == RuleReference(list: "test", line: 2, text: "@@||tracker.example/allowed/$script"))
        #expect(decision.exception == decision.rule)
        #expect(decision.blockRule?.line == 1)
        #expect(engine.decide(Filters.request("https://tracker.example/allowed/a.png", type: .image)).blocked)
        #expect(engine.decide(Filters.request("https://tracker.example/other.js")).blocked)
        let plain = engine.decide(Filters.request("https://site.org/"))
        #expect(plain == .allowed)
    }

    @Test func importantBeatsExceptionsUnlessTheyAreImportantToo() {
        let engine = Filters.engine(
            "||tracker.example^$important\n@@||tracker.example^\n@@||tracker.example/ok^$important\n")
        let decision = engine.decide(Filters.request("https://tracker.example/a.js"))
        #expect(decision.blocked && decision.important)
        #expect(decision.rule?.line == 1 && decision.exception == nil)
        let lifted = engine.decide(Filters.request("https://tracker.example/ok/a.js"))
        #expect(!lifted.blocked && lifted.important && lifted.exception?.line == 3)
    }

    @Test func badfilterCancelsTheIdenticalRuleInAnyList() {
        let first = FilterList(
            text: "||tracker.example^$third-party\n||other.example^\n||third.example^$image\n", name: "one")
        let second = FilterList(
            text: "||tracker.example^$third-party,badfilter\n||third.example^$badfilter\n", name: "two")
        let engine = FilterEngine(lists: [first, second])
        #expect(!engine.decide(Filters.request(tracker, from: "https://news.org/")).blocked)
        #expect(engine.decide(Filters.request("https://other.example/", from: "https://news.org/")).blocked)
        // A different option list is a different rule.
        #expect(engine.decide(Filters.request("https://third.example/", type: .image)).blocked)
        #expect(engine.statistics.cancelledByBadfilter == 1)
    }

    @Test func badfilterCancelsHostsEntries() {
        let hosts = FilterList(text: "0.0.0.0 tracker.example\n0.0.0.0 other.example\n", name: "hosts")
        let fix = FilterList(text: "||tracker.example^$badfilter\n", name: "fix")
        let engine = FilterEngine(lists: [hosts, fix])
        #expect(!engine.decide(Filters.request(tracker)).blocked)
        #expect(engine.decide(Filters.request("https://other.example/")).blocked)
    }

    @Test func redirectRulesBlock() {
        let decision = Filters.engine("||tracker.example/t.js$script,redirect=noop.js").decide(Filters.request(tracker))
        #expect(decision.blocked && decision.rule?.text.contains("redirect=") == true)
    }

    @Test func matchingListsNamesEveryBlockingList() {
        let engine = FilterEngine(lists: [
            FilterList(text: "||tracker.example^\n", name: "alpha"),
            FilterList(text: "/t.js\n", name: "beta"),
            FilterList(text: "||unrelated.example^\n", name: "gamma"),
            FilterList(text: "0.0.0.0 tracker.example\n", name: "delta"),
        ])
        #expect(engine.matchingLists(Filters.request(tracker)) == ["alpha", "beta", "delta"])
        #expect(engine.matchingLists(Filters.request("https://site.org/")).isEmpty)
        let excepted = FilterEngine(lists: [
            FilterList(text: "||tracker.example^\n", name: "alpha"),
            FilterList(text: "@@||tracker.example^\n", name: "allow"),
        ])
        #expect(excepted.matchingLists(Filters.request(tracker)).isEmpty)
    }

    @Test func isBlockedAgreesWithDecide() {
        let engine = Filters.engine(
            "||tracker.example^\n@@||tracker.example/ok^\n||imp.example^$important\n@@||imp.example^\n")
        for url in [tracker, "https://tracker.example/ok/x", "https://imp.example/x", "https://site.org/"] {
            let request = Filters.request(url)
            #expect(engine.isBlocked(request) == engine.decide(request).blocked, "\(url)")
        }
    }
}
