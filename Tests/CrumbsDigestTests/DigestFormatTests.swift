import CrumbsModel
import CrumbsReports
import Foundation
import Testing

/// Every format of the fixture day's digest, against golden files and the JSON schema.
struct DigestFormatTests {
    @Test func headlineNamesSitesCompaniesAndTheWidestReach() throws {
        #expect(
            try fixtureDigest().headline
                == "Yesterday you visited 3 sites. 4 companies saw you; Alphabet saw 3 of them (100%).")
    }

    @Test func trendComparesWithThePreviousDayAndTheRecordedDaysBefore() throws {
        let trend = try fixtureDigest().trend
        #expect(trend.previousDay == ActivityTotals(requests: 4, pages: 2, sites: 2, companies: 1, trackerRequests: 2))
        let average = try #require(trend.sevenDayAverage)
        #expect(average.days == 2 && average.sites == 1.5 && average.companies == 1 && average.trackerRequests == 1.5)
    }

    @Test func sitesListShareButtonsAndAnalytics() throws {
        let news = try #require(try fixtureDigest().sites.first)
        #expect(news.site == "news.example")
        #expect(news.shareButtons == ["connect.facebook.net"])
        #expect(news.analytics == ["www.google-analytics.com"])
        #expect(news.companies == ["Alphabet", "Meta"])
        #expect(news.trackers == ["connect.facebook.net", "www.google-analytics.com"])
    }

    @Test func markdownMatchesGoldenFile() throws {
        try TestFiles.expectGolden(try fixtureDigest().rendered(as: .markdown), "digest.md")
    }

    @Test func textMatchesGoldenFile() throws {
        try TestFiles.expectGolden(try fixtureDigest().rendered(as: .text), "digest.txt")
    }

    @Test func jsonMatchesGoldenFile() throws {
        try TestFiles.expectGolden(try fixtureDigest().rendered(as: .json), "digest.json")
    }

    @Test func jsonRoundTripsToTheSameDigest() throws {
        let digest = try fixtureDigest()
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(Digest.self, from: Data(digest.json.utf8)) == digest)
    }

    @Test func jsonValidatesAgainstTheSchema() throws {
        let path = try TestFiles.artifact("digest.json")
        try fixtureDigest().json.write(to: path, atomically: true, encoding: .utf8)
        let result = runTool("/usr/bin/python3", ["-c", Self.validate, TestFiles.schema.path, path.path])
        #expect(result.status == 0, "\(result.output)\(result.error)")
        #expect(result.output == "valid\n")
    }

    @Test func schemaRejectsADigestWithoutHeadline() throws {
        var object = try #require(
            try JSONSerialization.jsonObject(with: Data(fixtureDigest().json.utf8)) as? [String: Any])
        object["headline"] = nil
        let path = try TestFiles.artifact("digest-invalid.json")
        try JSONSerialization.data(withJSONObject: object).write(to: path)
        let result = runTool("/usr/bin/python3", ["-c", Self.validate, TestFiles.schema.path, path.path])
        #expect(result.status != 0)
        #expect(result.error.contains("'headline' is a required property"))
    }

    @Test func colourIsAddedOnlyWhenAsked() throws {
        let digest = try fixtureDigest()
        #expect(!digest.rendered(as: .text).contains("\u{1B}["))
        #expect(digest.rendered(as: .text, color: true).contains("\u{1B}[1;33m"))
    }

    /// Python's jsonschema, draft 2020-12, formats checked.
    static let validate = """
        import json, sys
        from jsonschema import Draft202012Validator
        schema = json.load(open(sys.argv[1]))
        Draft202012Validator.check_schema(schema)
        Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER).validate(json.load(open(sys.argv[2])))
        print("valid")
        """
}

/// The cookie section: findings of the cookie heuristics on the fixture day, names and counts only.
struct DigestCookieTests {
    @Test func crossSiteIdentifiersAndSyncsAreReported() throws {
        let cookies = try #require(try fixtureDigest().cookies)
        let crossSite = try #require(cookies.crossSiteIdentifiers.first)
        #expect(cookies.crossSiteIdentifiers.count == 1)
        #expect(crossSite.party == "google-analytics.com" && crossSite.name == "uid" && crossSite.company == "Alphabet")
        #expect(crossSite.sites == ["blog.example", "news.example"] && crossSite.requests == 2)
        let sync = try #require(cookies.cookieSyncs.first)
        #expect(cookies.cookieSyncs.count == 1 && cookies.identifierLeaks.isEmpty)
        #expect(sync.cookieName == "uid" && sync.fromParty == "google-analytics.com" && sync.toParty == "criteo.net")
        #expect(sync.parameter == "gid" && sync.via == "query" && sync.requests == 1)
        #expect(cookies.identifierCookies.map(\.name) == [DigestFixture.hostileCookie])
        #expect(cookies.thirdPartyCookies.map(\.name).contains(DigestFixture.hostileCookie))
    }

    @Test func noFormatContainsAValueHash() throws {
        let digest = try fixtureDigest()
        for format in DigestFormat.allCases {
            let text = digest.rendered(as: format)
            #expect(!text.contains("hash-uid") && !text.contains("hash-evil"), "\(format)")
        }
    }

    @Test func hostileCookieNameIsTextInHTML() throws {
        let html = try fixtureDigest().rendered(as: .html)
        #expect(!html.contains("<img"))
        #expect(html.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
    }
}
