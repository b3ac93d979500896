import CrumbsTestSupport
import Foundation
import Testing

@testable import CrumbsLocalization
@testable import CrumbsModel
@testable import CrumbsReports

/// The digest in French: one catalog per language, every key in both, placeholders that match,
/// numbers, percentages and dates per locale, golden files, the JSON schema, the CLI's --lang
/// and LANG.
struct DigestLanguageTests {
    @Test func everyKeyExistsInBothLanguagesWithTheSamePlaceholders() {
        let english = Catalog.table(.en)
        let french = Catalog.table(.fr)
        #expect(Set(english.keys).subtracting(french.keys).isEmpty, "missing in French")
        #expect(Set(french.keys).subtracting(english.keys).isEmpty, "missing in English")
        func placeholders(_ text: String) -> Set<String> {
            Set(
                text.split(separator: "{", omittingEmptySubsequences: false).dropFirst().compactMap {
                    $0.split(separator: "}").first.map(String.init)
                })
        }
        // French needs no verb agreement slot where English says was/were.
        let optional: Set<String> = ["were"]
        for (key, text) in english {
            let theirs = placeholders(french[key] ?? "")
            #expect(
                placeholders(text).subtracting(optional) == theirs.subtracting(optional), "\(key): placeholders differ")
            if key.hasSuffix(".one") {
                #expect(english[String(key.dropLast(4)) + ".other"] != nil, "\(key) without .other")
            }
        }
    }

    @Test func frenchWritesNumbersPercentagesAndDatesTheFrenchWay() {
        let fr = Catalog(.fr)
        let en = Catalog(.en)
        #expect(fr.percent(0.78) == "78\u{A0}%" && en.percent(0.78) == "78%")
        #expect(en.number(1_234_567) == "1,234,567")
        #expect(fr.number(1_234_567).filter(\.isNumber) == "1234567" && fr.number(1_234_567).count == 9)
        #expect(fr.decimal(3.5) == "3,5" && en.decimal(3.5) == "3.5")
        let day = Day(year: 2026, month: 12, day: 7)
        #expect(fr.date(day) == "7 décembre 2026" && en.date(day) == "December 7, 2026")
        // French treats 0 and 1 as singular, English only 1.
        #expect(fr.count("count.request", 0) == "0 requête" && en.count("count.request", 0) == "0 requests")
        #expect(fr.count("count.request", 2) == "2 requêtes")
    }

    @Test(arguments: [
        (["LANG": "fr_FR.UTF-8"], Language.fr), (["LANG": "C.UTF-8"], .en), ([:], .en),
        (["LANG": "en_GB.UTF-8", "LC_ALL": "fr_CA.UTF-8"], .fr), (["LANGUAGE": "fr:en", "LANG": "en_US"], .fr),
        (["LANG": "de_DE.UTF-8"], .en), (["LANG": "fr_FR.UTF-8", "LC_ALL": "C"], .en),
        (["LANGUAGE": "fr", "LANG": "C.UTF-8"], .en), (["LC_MESSAGES": "fr_BE.UTF-8", "LANG": "en_US.UTF-8"], .fr),
    ])
    func theEnvironmentChoosesTheLanguage(environment: [String: String], expected: Language) {
        #expect(Language.from(environment: environment) == expected)
    }

    @Test func frenchMarkdownAndTextMatchGoldenFiles() throws {
        let digest = try fixtureDigest()
        try TestFiles.expectGolden(digest.rendered(as: .markdown, language: .fr), "digest.fr.md")
        try TestFiles.expectGolden(digest.rendered(as: .text, language: .fr), "digest.fr.txt")
    }

    @Test func frenchHTMLSaysItsLanguageAndEnglishStaysAsItWas() throws {
        let digest = try fixtureDigest()
        let html = digest.rendered(as: .html, language: .fr)
        #expect(html.contains("<html lang=\"fr\">") && html.contains("Les entreprises et leur portée"))
        #expect(digest.rendered(as: .html).contains("<html lang=\"en\">"))
        #expect(digest.rendered(as: .markdown, language: .en) == digest.rendered(as: .markdown))
    }

    @Test func frenchJSONKeepsItsKeysAndValidates() throws {
        let digest = try fixtureDigest()
        let json = digest.rendered(as: .json, language: .fr)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["language"] as? String == "fr")
        #expect((object["headline"] as? String)?.contains("vous avez visité") == true)
        #expect(object["companies"] != nil && object["sites"] != nil)
        let path = try TestFiles.artifact("digest.fr.json")
        try json.write(to: path, atomically: true, encoding: .utf8)
        let result = runTool("/usr/bin/python3", ["-c", DigestFormatTests.validate, TestFiles.schema.path, path.path])
        #expect(result.status == 0 && result.output == "valid\n", "\(result.output)\(result.error)")
    }

    @Test func theCLIFollowsLangThenTheConfigThenLANG() throws {
        try DigestFixture.withStore { _, directory in
            try Unprivileged.handOver(directory)
            func digest(_ extra: [String], lang: String) -> (status: Int32, output: String, error: String) {
                var environment = ProcessInfo.processInfo.environment
                environment["TZ"] = "America/New_York"
                for name in ["LANGUAGE", "LC_ALL", "LC_MESSAGES"] { environment[name] = nil }
                environment["LANG"] = lang
                environment["XDG_CONFIG_HOME"] = directory.appendingPathComponent("config").path
                let command = Unprivileged.command(
                    DigestCommandTests.binary,
                    ["digest", "--data-dir", directory.path, "--day", "2026-11-20", "--format", "markdown"] + extra)
                return runTool(command.executable, command.arguments, environment: environment)
            }
            let french = digest([], lang: "fr_FR.UTF-8")
            #expect(french.status == 0, "\(french.error)")
            #expect(french.output.contains("# Bilan Crumbs\u{A0}: 20 novembre 2026"), "\(french.output.prefix(200))")
            #expect(french.output.contains("Le 20 novembre 2026, vous avez visité 3 sites."))
            #expect(digest(["--lang", "en"], lang: "fr_FR.UTF-8").output.contains("# Crumbs digest: 2026-11-20"))
            #expect(digest(["--lang", "fr"], lang: "C.UTF-8").output.contains("Bilan Crumbs"))
            let bad = digest(["--lang", "de"], lang: "C.UTF-8")
            #expect(bad.status != 0 && bad.error.contains("--lang must be en or fr (not de)"), "\(bad.error)")
        }
    }
}
