import Foundation
import Testing

@testable import CrumbsLists

/// The compact fallback list.
@Suite struct BuiltInListTests {
    @Test(arguments: [
        ("www.example.com", "example.com"),
        ("news.bbc.co.uk", "bbc.co.uk"),
        ("www.abc.net.au", "abc.net.au"),
        ("shop.example.com.br", "example.com.br"),
        ("www.example.co.jp", "example.co.jp"),
        ("alice.github.io", "alice.github.io"),
        ("someone.blogspot.com", "someone.blogspot.com"),
        ("my-app.herokuapp.com", "my-app.herokuapp.com"),
        ("d111111abcdef8.cloudfront.net", "d111111abcdef8.cloudfront.net"),
        ("a.b.example.unlisted-tld", "example.unlisted-tld"),
        ("www.食狮.公司.cn", "食狮.公司.cn"),
    ])
    func answersCommonHosts(host: String, site: String) {
        #expect(PublicSuffixList.builtIn.site(ofHost: host) == site)
    }

    @Test func parsesCleanly() {
        let report = PublicSuffixList.builtIn.report
        #expect(report.linesSkipped == 0, "\(report.skippedSamples)")
        #expect(report.rulesKept > 300)
        #expect(PublicSuffixList.builtIn.source == .builtIn)
    }

    /// Each built-in rule must be a real rule, in the same section, of the pinned 2025 list:
    /// the fallback may be smaller than the real list but never disagree with it.
    @Test func everyRuleIsInTheCurrentListInTheSameSection() throws {
        let full = Self.rulesBySection(try ReferenceData.text(ReferenceData.currentList))
        let builtIn = Self.rulesBySection(PublicSuffixList.builtInText)
        let strays = builtIn.filter { rule, section in full[rule] != section }.keys.sorted()
        #expect(strays.isEmpty, "not in the 2025 list as listed here: \(strays)")
    }

    /// A deliberately naive reading of the format, independent of the parser under test.
    static func rulesBySection(_ text: String) -> [String: PublicSuffixList.Section] {
        var section = PublicSuffixList.Section.icann
        var rules: [String: PublicSuffixList.Section] = [:]
        for line in text.split(whereSeparator: \.isNewline) {
            if line.contains("===BEGIN PRIVATE DOMAINS===") { section = .private }
            if line.contains("===END PRIVATE DOMAINS===") { section = .icann }
            if line.hasPrefix("//") { continue }
            if let rule = line.split(whereSeparator: \.isWhitespace).first { rules[String(rule)] = section }
        }
        return rules
    }
}
