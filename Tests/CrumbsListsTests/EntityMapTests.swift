import Foundation
import Testing

@testable import CrumbsLists

@Suite("Entity map")
struct EntityMapTests {
    static func facts(_ source: EntityListSource, _ facts: [DomainFact], aliases: [String: String] = [:])
        -> EntityListContribution
    {
        EntityListContribution(source: source, facts: facts, companyAliases: aliases)
    }

    static let sample = EntityMap(
        [
            facts(
                .lightbeam,
                [
                    DomainFact(domain: "facebook.com", company: "Facebook"),
                    DomainFact(domain: "akamaihd.net", company: "Facebook"),
                    DomainFact(domain: "adnxs.com", company: "AppNexus"),
                ]),
            facts(
                .duckDuckGo,
                [
                    DomainFact(
                        domain: "doubleclick.net", company: "Google", categories: [.advertising], prevalence: 0.5),
                    DomainFact(domain: "fbcdn.net", company: "Facebook, Inc."),
                    DomainFact(domain: "securepubads.g.doubleclick.net", company: "Google", categories: [.advertising]),
                    DomainFact(domain: "adnxs.com", company: "Microsoft Corporation", categories: [.advertising]),
                ]),
            facts(
                .curated,
                [
                    DomainFact(domain: "facebook.com", company: "Meta", categories: [.social]),
                    DomainFact(domain: "akamaihd.net", company: "Akamai", categories: [.content]),
                    DomainFact(domain: "doubleclick.net", company: "Google", categories: [.other]),
                    DomainFact(domain: "blogspot.com", company: "Google"),
                    DomainFact(domain: "google.com", company: "Google"),
                ], aliases: ["Facebook, Inc.": "Meta", "Facebook": "Meta", "AppNexus": "Microsoft"]),
            facts(
                .privacyBadger,
                [DomainFact(domain: "www.facebook.com", company: nil, categories: [.social], widget: "Facebook Like")]),
        ], publicSuffixes: PublicSuffixList.builtIn)

    @Test(arguments: [
        ("a.b.doubleclick.net", "doubleclick.net"), ("doubleclick.net", "doubleclick.net"),
        ("STATS.G.DoubleClick.NET.", "doubleclick.net"),
        ("securepubads.g.doubleclick.net", "securepubads.g.doubleclick.net"),
        ("x.securepubads.g.doubleclick.net", "securepubads.g.doubleclick.net"),
    ])
    func lookupWalksUpTheLabelsToTheMostSpecificListedDomain(host: String, listed: String) {
        #expect(Self.sample.lookup(host)?.domain == listed)
    }

    @Test(arguments: [
        "example.org", "net", "", "doubleclick.net.evil.example", "192.168.1.1", "[::1]", "a b.net", "xdoubleclick.net",
    ])
    func unlistedHostsAreUnknown(host: String) {
        #expect(Self.sample.lookup(host) == nil)
        #expect(Self.sample.categories(of: host).isEmpty)
    }

    @Test func curatedOwnerWinsOverOlderLists() throws {
        let akamai = try #require(Self.sample.lookup("a248.e.akamaihd.net"))
        #expect(akamai.company == "Akamai")
        #expect(akamai.ownerSource == .curated)
        let summary = Self.sample.summary
        #expect(summary.ownerConflicts == 1)
        #expect(summary.conflictSamples.first?.domain == "akamaihd.net")
        #expect(summary.conflictSamples.first?.other == "Meta")
        #expect(summary.conflictSamples.first?.otherSource == .lightbeam)
    }

    @Test func namesAreUnifiedAndShownInTheCuratedSpelling() throws {
        #expect(Self.sample.company(of: "facebook.com") == "Meta")
        #expect(Self.sample.company(of: "scontent-cdg4-1.xx.fbcdn.net") == "Meta")
        // DuckDuckGo names the owner first, Lightbeam's AppNexus rolls into it through the curated
        // other names, and the curated spelling is the one shown.
        #expect(Self.sample.company(of: "ib.adnxs.com") == "Microsoft")
        #expect(Self.sample.lookup("ib.adnxs.com")?.ownerSource == .duckDuckGo)
        #expect(Self.sample.companies.contains("Meta"))
        #expect(!Self.sample.companies.contains("Facebook"))
        #expect(Self.sample.domains(ownedBy: "Facebook, Inc.") == ["facebook.com", "fbcdn.net", "www.facebook.com"])
    }

    @Test func categoriesAreTheUnionAndOtherGivesWay() throws {
        let doubleclick = try #require(Self.sample.lookup("doubleclick.net"))
        #expect(doubleclick.categories == [.advertising])
        #expect(doubleclick.categorySources == [.curated, .duckDuckGo])
        #expect(doubleclick.prevalence == 0.5)
    }

    @Test func widgetHostTakesTheOwnerOfItsParent() throws {
        let like = try #require(Self.sample.lookup("www.facebook.com"))
        #expect(like.company == "Meta")
        #expect(like.ownerSource == .curated)
        #expect(like.categories == [.social])
        #expect(like.widgets == ["Facebook Like"])
    }

    @Test func sameOwnerCDNIsNotThirdParty() {
        #expect(Self.sample.sameOwner("fbcdn.net", "facebook.com"))
        #expect(Self.sample.sameOwner("static.xx.fbcdn.net", "www.facebook.com"))
        #expect(Self.sample.sameOwner("doubleclick.net", "google.com"))
        #expect(!Self.sample.sameOwner("doubleclick.net", "facebook.com"))
        #expect(!Self.sample.sameOwner("example.org", "example.net"))
        #expect(Self.sample.sameOwner("Example.org", "example.org."))
    }

    @Test func tenantsOfSharedHostingAreNotThePlatformOwner() throws {
        let blog = try #require(Self.sample.lookup("myblog.blogspot.com"))
        #expect(blog.company == "Google")
        #expect(blog.onSharedHosting)
        #expect(!Self.sample.sameOwner("myblog.blogspot.com", "google.com"))
        #expect(Self.sample.sameOwner("blogspot.com", "google.com"))
        #expect(Self.sample.lookup("blogspot.com")?.onSharedHosting == false)
    }

    @Test func unicodeHostsAreNormalisedBeforeTheWalk() {
        let map = EntityMap([Self.facts(.curated, [DomainFact(domain: "xn--bcher-kva.example", company: "Bücher")])])
        #expect(map.company(of: "www.bücher.example") == "Bücher")
        #expect(map.company(of: "WWW.XN--BCHER-KVA.EXAMPLE") == "Bücher")
    }

    @Test func emptyMapKnowsNothing() {
        #expect(EntityMap.empty.lookup("doubleclick.net") == nil)
        #expect(EntityMap.empty.summary.domains == 0)
        #expect(!EntityMap.empty.sameOwner("fbcdn.net", "facebook.com"))
    }

    @Test func companyNamesCompareWithoutLegalForms() {
        #expect(CompanyName.key("Google LLC") == CompanyName.key("Google"))
        #expect(CompanyName.key("Amazon.com, Inc.") == CompanyName.key("Amazon"))
        #expect(CompanyName.key("comScore, Inc.") == CompanyName.key("Comscore"))
        #expect(CompanyName.key("PublicisGroupe") == CompanyName.key("Publicis Groupe"))
        #expect(CompanyName.key("The Trade Desk") == CompanyName.key("Trade Desk Inc"))
        #expect(CompanyName.key("Meta") != CompanyName.key("Facebook"))
        #expect(CompanyName.key("Inc") == "inc")
    }
}
