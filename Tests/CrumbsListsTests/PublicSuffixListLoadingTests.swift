import Foundation
import Testing

@testable import CrumbsLists

/// Parsing, counting of skipped lines, and loading from files.
@Suite struct PublicSuffixListLoadingTests {
    @Test func badLinesAreSkippedAndCountedByReason() {
        let list = PublicSuffixList(
            text: """
                // a comment
                com
                co.uk   trailing words after whitespace are ignored
                .leading.dot
                a..b
                trailing.dot.
                a.*.b
                *foo.com
                !single
                !*.ck
                a!b.com
                bad/char.com
                \(String(repeating: "x", count: 64)).com
                com
                *
                """)
        let report = list.report
        #expect(report.rulesKept == 3)  // com, co.uk, the explicit default rule
        #expect(
            report.skippedByReason == [
                .emptyLabel: 3, .misplacedWildcard: 2, .badException: 3, .invalidCharacter: 1,
                .tooLong: 1, .duplicate: 1,
            ])
        #expect(report.linesSkipped == 11)
        #expect(
            report.skippedSamples.first
                == PublicSuffixList.SkippedLine(
                    lineNumber: 4, text: ".leading.dot", reason: .emptyLabel))
        #expect(report.skippedSamples.last?.lineNumber == 14)
        #expect(list.registrableDomain(of: "www.example.co.uk") == "example.co.uk")
        #expect("\(report)".hasPrefix("3 rules kept, 11 lines skipped (emptyLabel: 3"))
    }

    @Test func samplesAreCappedButCountsAreNot() {
        let text = String(repeating: "a..b\n", count: 100)
        let report = PublicSuffixList(text: text).report
        #expect(report.linesSkipped == 100)
        #expect(report.skippedSamples.count == PublicSuffixList.LoadReport.sampleLimit)
    }

    @Test func sectionsFollowTheMarkers() {
        let report = PublicSuffixList(
            text: """
                outside
                // ===BEGIN ICANN DOMAINS===
                com
                // ===END ICANN DOMAINS===
                // ===BEGIN PRIVATE DOMAINS===
                github.io
                *.compute.amazonaws.com
                // ===END PRIVATE DOMAINS===
                """
        ).report
        #expect(report.rulesBySection == [.icann: 2, .private: 2])
    }

    @Test func crlfLinesByteOrderMarkAndUppercaseRulesAreAccepted() {
        let list = PublicSuffixList(text: "\u{FEFF}COM\r\nCo.UK\r\n// ===BEGIN PRIVATE DOMAINS===\r\nGitHub.io\r\n")
        #expect(list.report.linesSkipped == 0)
        #expect(list.report.rulesKept == 3)
        #expect(list.match("a.b.github.io")?.section == .private)
        #expect(list.registrableDomain(of: "a.b.co.uk") == "b.co.uk")
    }

    @Test func unicodeRulesAreStoredInACEForm() {
        let list = PublicSuffixList(text: "cn\n公司.cn\nxn--fiqs8s\n")
        #expect(list.registrableDomain(of: "a.b.xn--55qx5d.cn") == "b.xn--55qx5d.cn")
        #expect(list.registrableDomain(of: "a.b.中国") == "b.中国")
        // NFC: `u` + combining diaeresis in the rule equals the precomposed `ü` in the host.
        let decomposed = PublicSuffixList(text: "bu\u{0308}cher.de\n")
        #expect(decomposed.publicSuffix(of: "shop.bücher.de") == "bücher.de")
    }

    @Test func missingFileThrowsWithItsPath() throws {
        let path = "/nonexistent/crumbs/public_suffix_list.dat"
        let error = try #require(throws: PublicSuffixListError.self) {
            try PublicSuffixList(contentsOf: URL(fileURLWithPath: path))
        }
        #expect(error.code == .unreadable)
        #expect(error.path == path)
        #expect(error.description.contains(path))
    }

    @Test func fileWithoutRulesIsNotAList() throws {
        let url = try temporaryFile("<html>not found</html>\n// only a comment\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let error = try #require(throws: PublicSuffixListError.self) {
            try PublicSuffixList(contentsOf: url)
        }
        #expect(error.code == .noRules)
        #expect(error.path == url.path)
    }

    @Test func invalidUTF8SpoilsOnlyItsLine() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("psl-\(UUID().uuidString).dat")
        try Data("com\nbad\u{1}".utf8 + [0xFF, 0x0A] + Data("co.uk\n".utf8)).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let list = try PublicSuffixList(contentsOf: url)
        #expect(list.source == .file(path: url.path))
        #expect(list.report.rulesKept == 2)
        #expect(list.report.skippedByReason == [.invalidCharacter: 1])
    }

    @Test func loadDefaultUsesTheFirstReadableFile() throws {
        let url = try temporaryFile("com\nexample-suffix.com\n")
        defer { try? FileManager.default.removeItem(at: url) }
        let list = PublicSuffixList.loadDefault(paths: ["/nonexistent/a.dat", url.path])
        #expect(list.source == .file(path: url.path))
        #expect(list.registrableDomain(of: "a.b.example-suffix.com") == "b.example-suffix.com")
    }

    @Test func loadDefaultFallsBackToBuiltIn() throws {
        let empty = try temporaryFile("// nothing\n")
        defer { try? FileManager.default.removeItem(at: empty) }
        let list = PublicSuffixList.loadDefault(paths: ["/nonexistent/a.dat", empty.path])
        #expect(list.source == .builtIn)
        #expect(list.registrableDomain(of: "www.example.co.uk") == "example.co.uk")
        #expect(
            PublicSuffixList.defaultPaths == [
                "/usr/share/publicsuffix/public_suffix_list.dat",
                "/usr/share/publicsuffix/effective_tld_names.dat",
            ])
    }

    private func temporaryFile(_ contents: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("psl-\(UUID().uuidString).dat")
        try contents.write(to: url, atomically: true, encoding: .utf8)
        return url
    }
}
