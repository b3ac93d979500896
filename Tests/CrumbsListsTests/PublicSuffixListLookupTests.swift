import CrumbsLists
import CrumbsModel
import Testing

/// Lookups against a small hand-written list, so each rule kind is tested on its own.
@Suite struct PublicSuffixListLookupTests {
    static let list = PublicSuffixList(
        text: """
            // ===BEGIN ICANN DOMAINS===
            com
            uk
            co.uk
            jp
            kobe.jp
            *.kobe.jp
            !city.kobe.jp
            *.ck
            !www.ck
            cn
            公司.cn
            中国
            // ===END ICANN DOMAINS===
            // ===BEGIN PRIVATE DOMAINS===
            github.io
            blogspot.com
            *.compute.amazonaws.com
            // ===END PRIVATE DOMAINS===
            """)

    @Test(arguments: [
        ("example.com", "example.com"),
        ("www.example.com", "example.com"),
        ("a.b.c.example.co.uk", "example.co.uk"),
        ("WWW.Example.CO.UK", "example.co.uk"),
        ("user.github.io", "user.github.io"),
        ("x.user.blogspot.com", "user.blogspot.com"),
        ("unlisted.tld-example", "unlisted.tld-example"),
        ("a.b.unlisted", "b.unlisted"),
        ("_dmarc.example.com", "example.com"),
    ])
    func registrableDomainIsSuffixPlusOneLabel(host: String, site: String) {
        #expect(Self.list.registrableDomain(of: host) == site)
        #expect(Self.list.site(ofHost: host) == site)
    }

    @Test(arguments: ["com", "co.uk", "github.io", "unlisted", "b.kobe.jp", "test.ck"])
    func publicSuffixHasNoRegistrableDomain(host: String) {
        #expect(Self.list.registrableDomain(of: host) == nil)
        #expect(Self.list.publicSuffix(of: host) == host)
    }

    @Test func wildcardMakesEveryChildASuffix() {
        #expect(Self.list.publicSuffix(of: "a.b.kobe.jp") == "b.kobe.jp")
        #expect(Self.list.registrableDomain(of: "a.b.kobe.jp") == "a.b.kobe.jp")
        #expect(Self.list.registrableDomain(of: "x.y.b.test.ck") == "b.test.ck")
        #expect(
            Self.list.registrableDomain(of: "host.eu-west-1.compute.amazonaws.com")
                == "host.eu-west-1.compute.amazonaws.com")
        // The wildcard's parent is not a rule here, so the default rule decides.
        #expect(Self.list.publicSuffix(of: "compute.amazonaws.com") == "com")
    }

    @Test func exceptionBeatsWildcard() {
        #expect(Self.list.publicSuffix(of: "city.kobe.jp") == "kobe.jp")
        #expect(Self.list.registrableDomain(of: "www.city.kobe.jp") == "city.kobe.jp")
        #expect(Self.list.registrableDomain(of: "www.ck") == "www.ck")
        #expect(Self.list.registrableDomain(of: "a.www.ck") == "www.ck")
    }

    @Test func unicodeAndACEHostsMatchTheSameRules() {
        #expect(Self.list.registrableDomain(of: "www.食狮.公司.cn") == "食狮.公司.cn")
        #expect(Self.list.registrableDomain(of: "www.xn--85x722f.xn--55qx5d.cn") == "xn--85x722f.xn--55qx5d.cn")
        #expect(Self.list.registrableDomain(of: "XN--85X722F.xn--55QX5D.cn") == "xn--85x722f.xn--55qx5d.cn")
        #expect(Self.list.publicSuffix(of: "食狮.中国") == "中国")
        #expect(Self.list.registrableDomain(of: "公司.cn") == nil)
        // IDNA full stops separate labels like `.` does.
        #expect(Self.list.registrableDomain(of: "www。食狮．公司｡cn") == "食狮.公司.cn")
        // Upper-case Unicode is case-folded before encoding.
        #expect(Self.list.registrableDomain(of: "BÜCHER.com") == "bücher.com")
    }

    @Test func trailingDotIsDropped() {
        #expect(Self.list.registrableDomain(of: "www.example.com.") == "example.com")
        #expect(Self.list.publicSuffix(of: "com.") == "com")
        #expect(Self.list.registrableDomain(of: "食狮.中国.") == "食狮.中国")
    }

    @Test(arguments: [
        "", ".", "..", ".com", ".example.com", "a..example.com", "example.com..",
        "exa mple.com", "example.com/path", "user@example.com", "example.com:443",
        String(repeating: "a", count: 64) + ".com",
        String(repeating: "a.", count: 127) + "com",
    ])
    func malformedHostsHaveNoAnswer(host: String) {
        #expect(Self.list.registrableDomain(of: host) == nil)
        #expect(Self.list.publicSuffix(of: host) == nil)
        #expect(Self.list.match(host) == nil)
    }

    @Test(arguments: [
        "127.0.0.1", "192.168.1.10", "10.0.0.1.", "0x7f.0.0.1", "1.2.3.0x1F",
        "::1", "[::1]", "2001:db8::1", "[2001:db8::1]", "fe80::1%eth0",
    ])
    func ipAddressesHaveNoSite(host: String) {
        #expect(Self.list.site(ofHost: host) == nil)
        #expect(Self.list.publicSuffix(of: host) == nil)
    }

    @Test func numericLabelsAreFineBeforeTheLast() {
        #expect(Self.list.registrableDomain(of: "1.2.3.example.com") == "example.com")
        #expect(Self.list.registrableDomain(of: "123.com") == "123.com")
    }

    @Test func matchTellsWhichSectionDecided() throws {
        let icann = try #require(Self.list.match("www.example.co.uk"))
        #expect(
            icann
                == PublicSuffixList.Match(
                    publicSuffix: "co.uk", registrableDomain: "example.co.uk", section: .icann))
        #expect(Self.list.match("me.github.io")?.section == .private)
        #expect(Self.list.match("host.eu-west-1.compute.amazonaws.com")?.section == .private)
        #expect(Self.list.match("a.www.ck")?.section == .icann)
        #expect(Self.list.match("example.unlisted")?.section == nil)
    }

    @Test func withoutPrivateRulesHostingPlatformsAreOneSite() {
        let icannOnly = PublicSuffixList(
            text: "com\n// ===BEGIN PRIVATE DOMAINS===\ngithub.io\n", includePrivate: false)
        #expect(!icannOnly.includesPrivate)
        #expect(icannOnly.report.privateRulesExcluded == 1)
        #expect(icannOnly.registrableDomain(of: "alice.github.io") == "github.io")
        #expect(icannOnly.registrableDomain(of: "alice.example.com") == "example.com")
    }

    @Test func listIsUsableAsASiteResolver() {
        let resolver: any SiteResolver = Self.list
        #expect(resolver.site(ofHost: "cdn.example.co.uk") == "example.co.uk")
    }
}
