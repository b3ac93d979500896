import CrumbsLists
import Testing

/// Pattern syntax: anchors, wildcards, separators, regexes, case.
@Suite struct FilterMatchingTests {
    @Test(arguments: [
        // `||` anchors at a label boundary of the host, after the scheme.
        ("||ads.example.com^", "https://ads.example.com/x.js", true),
        ("||ads.example.com^", "https://cdn.ads.example.com/x.js", true),
        ("||ads.example.com^", "http://ads.example.com:8080/x.js", true),
        ("||ads.example.com^", "https://ads.example.com", true),
        ("||ads.example.com^", "https://badads.example.com/x.js", false),
        ("||ads.example.com^", "https://ads.example.com.evil.org/x.js", false),
        ("||ads.example.com^", "https://example.org/?u=https://ads.example.com/", false),
        ("||example.com/ads/", "https://www.example.com/ads/1.gif", true),
        ("||example.com/ads/", "https://www.example.com/img/ads/1.gif", false),
        ("||ads.", "https://ads.example.org/", true),
        ("||ads.", "https://www.ads.example.org/", true),
        ("||ads.", "https://uploads.example.org/", false),
        ("||example.com", "https://example.community/", true),
        // `|` anchors at the start or end of the URL.
        ("|https://ads.", "https://ads.example.org/", true),
        ("|https://ads.", "http://x.org/https://ads.", false),
        (".swf|", "https://x.org/movie.swf", true),
        (".swf|", "https://x.org/movie.swf?x=1", false),
        // `*` is any run, `^` a separator or the end of the URL.
        ("/banner/*/ad.", "https://x.org/banner/300x250/ad.gif", true),
        ("/banner/*/ad.", "https://x.org/banner/ad.gif", false),
        ("example.com^path", "https://example.com/path", true),
        ("example.com^path", "https://example.com.path", false),
        ("ad^", "https://x.org/ad", true),
        ("ad^", "https://x.org/ad?x", true),
        ("ad^", "https://x.org/ads", false),
        ("^ad^", "https://x.org/ad/", true),
        ("&ad_type=", "https://x.org/p?x=1&ad_type=video", true),
        ("-ad-300x250.", "https://x.org/i/top-ad-300x250.png", true),
        ("/ads/", "https://x.org/assets/adsense/ads.js", true),  // a regex: `ads` anywhere
        // Plain substrings, case-insensitive.
        ("/Pixel.GIF", "https://x.org/pixel.gif?u=1", true),
        ("/pixel.gif", "https://X.ORG/PIXEL.GIF", true),
        // Regex rules (matched by NSRegularExpression, case-insensitive unless match-case).
        ("/^https?:\\/\\/[a-z]{8}\\.example\\.com\\//", "https://abcdefgh.example.com/x", true),
        ("/^https?:\\/\\/[a-z]{8}\\.example\\.com\\//", "https://abc.example.com/x", false),
        ("/\\/[0-9a-f]{32}\\/invoke\\.js/", "https://x.org/0123456789abcdef0123456789abcdef/invoke.js", true),
        ("/track(ing)?\\.js$/", "https://x.org/a/TRACKING.js", true),
        ("/track(ing)?\\.js$/$match-case", "https://x.org/a/TRACKING.js", false),
        // match-case compares as written.
        ("/AdBanner.$match-case", "https://x.org/AdBanner.png", true),
        ("/AdBanner.$match-case", "https://x.org/adbanner.png", false),
    ])
    func pattern(rule: String, url: String, blocked: Bool) {
        #expect(Filters.blocks(rule, url) == blocked, "\(rule) on \(url)")
    }

    @Test func hostAnchorUsesTheURLHostNotUserInfo() {
        #expect(Filters.blocks("||ads.example.com^", "https://user:pw@ads.example.com/x"))
        #expect(!Filters.blocks("||ads.example.com^", "https://ads.example.com@safe.org/x"))
        #expect(Filters.blocks("||1.2.3.4^", "http://1.2.3.4/x.gif"))
        #expect(Filters.blocks("||ads.example.com^", "https://ads.example.com./x"))
        #expect(FilterRequest.host(of: "HTTPS://Ads.Example.COM.:443/x") == "ads.example.com")
    }

    @Test func oddURLsNeitherCrashNorMatchHostRules() {
        let engine = Filters.engine("||ads.example.com^\n||Ads.Example.com/Path$match-case\n/banner.\n")
        for url in [
            "", "https://", "data:text/plain,ads.example.com", "ads.example.com", "https://[::1]:8080/banner.gif",
        ] {
            _ = engine.decide(Filters.request(url))
        }
        #expect(engine.decide(Filters.request("ads.example.com/x")).blocked)  // no scheme: starts with the host
        #expect(engine.decide(Filters.request("https://[::1]:8080/banner.gif")).blocked)
        #expect(engine.decide(Filters.request("https://ads.example.com/Path", type: .image)).blocked)
        #expect(Filters.blocks("||Ads.Example.com/Path$match-case", "https://ads.example.com/Path"))
        #expect(!Filters.blocks("||Ads.Example.com/Path$match-case", "https://ads.example.com/path"))
    }

    @Test func regexRulesWithAlternationOrNoLiteralStillMatch() {
        // No usable token: filed in the fallback list and tried for every request.
        let engine = Filters.engine("/^https?:\\/\\/(ads|track)\\d+\\./\n")
        #expect(engine.decide(Filters.request("https://track42.example.org/")).blocked)
        #expect(!engine.decide(Filters.request("https://track.example.org/")).blocked)
        #expect(engine.statistics.fallbackRules == 1)
    }

    @Test func concurrentDecisionsAgreeWithSerialOnes() async {
        // The lazily compiled regex cache is shared by all copies of the engine.
        let engine = Filters.engine("/\\/ad[0-9]+\\.js/\n||tracker.example^\n@@||tracker.example/ok^\n")
        let urls = (0..<200).map { index -> String in
            switch index % 3 {
            case 0: "https://x.org/ad\(index).js"
            case 1: "https://tracker.example/\(index)"
            default: "https://tracker.example/ok/\(index)"
            }
        }
        let serial = urls.map { engine.decide(Filters.request($0)).blocked }
        let concurrent = await withTaskGroup(of: (Int, Bool).self) { group in
            for (index, url) in urls.enumerated() {
                group.addTask { (index, engine.decide(Filters.request(url)).blocked) }
            }
            var results = [Bool](repeating: false, count: urls.count)
            for await (index, blocked) in group { results[index] = blocked }
            return results
        }
        #expect(concurrent == serial)
        #expect(serial.filter { $0 }.count == 134)
    }

    @Test func tokensChooseTheRareWordAndKeepAllRulesReachable() {
        let rules = (0..<50).map { "/common/word\($0)/x." }.joined(separator: "\n")
        let engine = Filters.engine(rules + "\n||com^$image\n")
        #expect(engine.statistics.tokenRules == 50)
        #expect(engine.statistics.largestTokenBucket < 50)
        for index in [0, 17, 49] {
            #expect(engine.decide(Filters.request("https://x.org/common/word\(index)/x.png")).blocked)
        }
        #expect(!engine.decide(Filters.request("https://x.org/common/word50/x.png")).blocked)
    }
}
