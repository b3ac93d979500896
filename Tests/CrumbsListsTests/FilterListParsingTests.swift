import CrumbsLists
import Foundation
import Testing

@Suite struct FilterListParsingTests {
    static let sample = """
        [Adblock Plus 2.0]
        ! Title: sample
        ||ads.example.com^
        @@||ads.example.com/ok^$script
        /banner/*/ad.

        example.org##.ad-box
        example.org#@#.ad-box
        example.org#?#div:has(> .ad)
        example.org#$#abort-on-property-read foo
        example.org##+js(set-constant, x, 1)
        example.org$$script[tag-content="ad"]
        /^https?:\\/\\/ads\\./$script
        ||tracker.example^$important,third-party
        ||tracker.example^$badfilter
        ||popup.example^$popup
        ||csp.example^$csp=script-src 'none'
        ||param.example^$removeparam=utm_source
        ||rewrite.example^$rewrite=abp-resource:blank-js
        ||ruled.example^$redirect-rule=noop.js
        ||strict.example^$strict3p
        ||weird.example^$frobnicate
        ||redirect.example/x.js$script,redirect=noop.js
        ||entity.example^$domain=google.*|~x.org
        @@||hide.example^$generichide
        """

    @Test func everyRuleKeepsItsLineAndText() {
        let list = FilterList(text: Self.sample, name: "sample")
        let references = list.ruleReferences
        #expect(references.first == RuleReference(list: "sample", line: 3, text: "||ads.example.com^"))
        #expect(references.contains(RuleReference(list: "sample", line: 4, text: "@@||ads.example.com/ok^$script")))
        #expect(references.contains(RuleReference(list: "sample", line: 5, text: "/banner/*/ad.")))
        #expect(references.contains { $0.line == 13 && $0.text.hasPrefix("/^https?") })
        #expect(references.contains { $0.line == 23 && $0.text.contains("redirect=noop.js") })
    }

    @Test func countsRulesByKind() {
        let counts = FilterList(text: Self.sample, name: "sample").counts
        #expect(counts.lines == 25)
        #expect(counts.blockRules == 6)  // ads, banner, regex, tracker (important), redirect, entity
        #expect(counts.exceptionRules == 1)
        #expect(counts.regex == 1)
        #expect(counts.important == 1)
        #expect(counts.badfilter == 1)
        #expect(counts.redirect == 1)
        #expect(counts.pureHost == 3)
        #expect(counts.hostAnchored == 5)
        #expect(counts.networkRules == 7)
    }

    @Test func skippedLinesAreCountedWithReasonAndLine() {
        let list = FilterList(text: Self.sample, name: "sample")
        let skipped = list.skippedLines
        #expect(skipped.first == FilterList.SkippedLine(line: 1, reason: .header, text: "[Adblock Plus 2.0]"))
        #expect(skipped.contains(FilterList.SkippedLine(line: 2, reason: .comment, text: "! Title: sample")))
        #expect(skipped.filter { $0.reason == .cosmetic }.map(\.line) == [7, 8, 9, 10, 11, 12])
        #expect(list.skippedCounts[.cosmetic] == 6)
        #expect(list.skippedCounts[.popupOnly] == 1)
        #expect(list.skippedCounts[.unsupportedOption("csp")] == 1)
        #expect(list.skippedCounts[.unsupportedOption("removeparam")] == 1)
        #expect(list.skippedCounts[.unsupportedOption("rewrite")] == 1)
        #expect(list.skippedCounts[.unsupportedOption("redirect-rule")] == 1)
        #expect(list.skippedCounts[.unsupportedOption("strict3p")] == 1)
        #expect(list.skippedCounts[.unsupportedOption("generichide")] == 1)
        #expect(list.skippedCounts[.unknownOption("frobnicate")] == 1)
        #expect(list.skippedCounts[.invalidDomain] == nil)
        #expect(skipped.first { $0.reason == .unknownOption("frobnicate") }?.line == 22)
        #expect(list.counts.skipped == skipped.count)
        // Blank lines are neither rules nor skipped.
        #expect(list.counts.networkRules + list.counts.badfilter + list.counts.skipped == 24)
    }

    @Test(arguments: [
        ("||a.example^$script,~image", true),
        ("||a.example^$third-party,domain=x.com|~y.x.com", true),
        ("||a.example^$3p,1p", true),
        ("||a.example^$from=x.com", true),
        ("||a.example^$denyallow=x.com", true),
        ("||a.example^$domain=", false),
        ("||a.example^$domain=a b", false),
        ("||a.example^$denyallow=~x.com", false),
        ("||a.example^$denyallow=x.*", false),
        ("||a.example^$domain=x.*|~y.*", true),
        ("||a.example^$domain=.*", false),
        ("a b c", false),
        ("|", false),
        ("||", false),
        ("*$script", true),
        ("$websocket,domain=x.com", true),
        ("||a.example^$_,script", true),
    ])
    func optionSyntax(rule: String, kept: Bool) {
        let list = FilterList(text: rule, name: "t", format: .adblock)
        #expect((list.counts.networkRules == 1) == kept, "\(rule)")
        #expect((list.counts.skipped == 1) == !kept, "\(rule)")
    }

    @Test func hostsFileEntriesBecomeHostRules() {
        let text = """
            # a hosts file
            127.0.0.1 localhost
            ::1 localhost ip6-localhost
            0.0.0.0 ads.example.com
            127.0.0.1 a.tracker.example b.tracker.example # two names

            0.0.0.0 bad/host
            1.2.3.4
            """
        let list = FilterList(text: text, name: "hosts")
        #expect(list.format == .hosts)
        #expect(list.counts.hostsEntries == 3)
        #expect(list.counts.pureHost == 3)
        #expect(list.skippedCounts[.localhostEntry] == 3)
        #expect(list.skippedCounts[.comment] == 1)
        #expect(list.skippedCounts[.invalidHost] == 2)
        #expect(list.ruleReferences.map(\.line) == [4, 5, 5])
        #expect(list.ruleReferences[1].text == "127.0.0.1 a.tracker.example b.tracker.example # two names")
        let engine = FilterEngine(lists: [list])
        #expect(engine.decide(Filters.request("https://x.ads.example.com/p.gif")).blocked)
        #expect(engine.decide(Filters.request("http://b.tracker.example:8080/")).blocked)
        #expect(!engine.decide(Filters.request("https://tracker.example/")).blocked)
        #expect(!engine.decide(Filters.request("https://localhost/")).blocked)
    }

    @Test func domainListEntriesBecomeHostRules() {
        let text = """
            # one domain per line
            ads.example.com
            *.metrics.example
            Tracker.Example.NET # upper case
            not a domain
            """
        let list = FilterList(text: text, name: "domains")
        #expect(list.format == .domains)
        #expect(list.counts.hostsEntries == 3)
        #expect(list.skippedCounts[.invalidHost] == 1)
        let engine = FilterEngine(lists: [list])
        #expect(engine.decide(Filters.request("https://ads.example.com/x")).blocked)
        #expect(engine.decide(Filters.request("https://cdn.metrics.example/x")).blocked)
        #expect(engine.decide(Filters.request("https://tracker.example.net/x")).blocked)
        #expect(!engine.decide(Filters.request("https://example.com/x")).blocked)
    }

    @Test func hostsLinesInsideAnAdblockListAreHostRules() {
        let list = FilterList(text: "! mixed\n||a.example^\n0.0.0.0 b.example\n127.0.0.1 localhost\n", name: "m")
        #expect(list.format == .adblock)
        #expect(list.counts.hostsEntries == 1 && list.counts.pureHost == 2)
        #expect(list.skippedCounts[.localhostEntry] == 1)
        #expect(FilterEngine(lists: [list]).decide(Filters.request("https://x.b.example/")).blocked)
    }

    @Test func formatIsDetectedOrTakenAsGiven() {
        #expect(FilterList(text: "! comment\n||a.com^\n", name: "a").format == .adblock)
        #expect(FilterList(text: "[Adblock Plus 2.0]\na.com\nb.com\n", name: "a").format == .adblock)
        #expect(FilterList(text: "# c\n0.0.0.0 a.com\n0.0.0.0 b.com\n", name: "h").format == .hosts)
        #expect(FilterList(text: "a.com\nb.com\nc.org\n", name: "d").format == .domains)
        #expect(FilterList(text: "||a.com^\n||b.com^\n", name: "a").format == .adblock)
        // As Adblock Plus syntax a bare domain is a substring pattern, so it still matches.
        let forced = FilterList(text: "a.com\n", name: "f", format: .adblock)
        #expect(forced.format == .adblock && forced.counts.pureHost == 0 && forced.counts.blockRules == 1)
    }

    @Test func badLinesAreNeverFatal() {
        let text = "||ok.example^\n\u{0}\u{1}garbage$$$\n@@\n||x^$domain=|\n/unterminated[/\n||ok2.example^\n"
        let list = FilterList(text: text, name: "bad")
        #expect(list.counts.lines == 6)
        #expect(list.ruleReferences.map(\.line).contains(1))
        #expect(list.ruleReferences.map(\.line).contains(6))
        // The broken regex parses (it is compiled lazily) and then simply never matches.
        let engine = FilterEngine(lists: [list])
        #expect(!engine.decide(Filters.request("https://unterminated.example/")).blocked)
        #expect(engine.decide(Filters.request("https://ok2.example/")).blocked)
    }

    @Test(arguments: [
        ("script", ResourceType.script), ("xhr", .xmlhttprequest), ("XMLHttpRequest", .xmlhttprequest),
        ("fetch", .xmlhttprequest), ("frame", .subdocument), ("sub_frame", .subdocument),
        ("main_frame", .document), ("doc", .document), ("css", .stylesheet), ("beacon", .ping),
        ("csp_report", .other), ("imageset", .image), ("websocket", .websocket), ("object", .object),
    ])
    func resourceTypeNames(name: String, type: ResourceType) {
        #expect(ResourceType(listName: name) == type)
    }

    @Test func popupIsNotAResourceType() {
        #expect(ResourceType(listName: "popup") == nil)
        #expect(ResourceType(listName: "nonsense") == nil)
    }
}

/// Files that are not lists are refused with the reason, instead of becoming rules that match
/// almost every URL.
struct BadListFileTests {
    func temporaryFile(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("list-\(UUID().uuidString).txt")
        try Data(bytes).write(to: url)
        return url
    }

    @Test func aBinaryFileIsNotAFilterList() throws {
        // What a compiled program or an image looks like: NUL bytes among short printable runs.
        var bytes: [UInt8] = []
        for index in 0..<4096 { bytes.append(index % 7 == 0 ? 0 : UInt8(0x61 + index % 26)) }
        let url = try temporaryFile(bytes)
        defer { try? FileManager.default.removeItem(at: url) }
        #expect {
            try FilterList(contentsOf: url)
        } throws: { error in
            "\(error)".contains("is not a text file (a NUL byte at offset 0)")
        }
        #expect(throws: PublicSuffixListError.self) { try PublicSuffixList(contentsOf: url) }
    }

    @Test func aCompressedListIsRefusedWithAHint() throws {
        let url = try temporaryFile([0x1F, 0x8B, 0x08, 0x00] + Array("easylist".utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        #expect {
            try FilterList(contentsOf: url)
        } throws: { error in
            "\(error)".contains("gzip-compressed")
        }
    }

    @Test func aTextFileWithoutAnyRuleIsRefused() throws {
        let url = try temporaryFile(Array("! only comments\n! and nothing else\nexample.com##.ad\n".utf8))
        defer { try? FileManager.default.removeItem(at: url) }
        #expect {
            try FilterList(contentsOf: url)
        } throws: { error in
            "\(error)".contains("no valid rule in 3 lines")
        }
    }

    @Test func oneOrTwoCharacterRulesAreSkippedAsTooGeneric() {
        let list = FilterList(text: "a\n/x\nab$image\n||a.b^\n|ab\nab$domain=example.com\n/ad/\n-ad-\n", name: "t")
        #expect(list.skippedCounts[.tooGeneric] == 3)
        #expect(list.skippedLines.filter { $0.reason == .tooGeneric }.map(\.text) == ["a", "/x", "ab$image"])
        #expect(list.ruleReferences.map(\.text) == ["||a.b^", "|ab", "ab$domain=example.com", "/ad/", "-ad-"])
    }
}
