import Foundation
import Testing

@testable import CrumbsLists

@Suite("Tracker categories")
struct TrackerCategoryTests {
    @Test(
        "Disconnect categories map onto Crumbs categories",
        arguments: [
            ("Advertising", TrackerCategory.advertising), ("Analytics", .analytics), ("Social", .social),
            ("Content", .content), ("FingerprintingInvasive", .fingerprinting),
            ("FingerprintingGeneral", .fingerprinting), ("Fingerprinting", .fingerprinting),
            ("Cryptomining", .cryptomining), ("Email", .email), ("EmailAggressive", .email),
            ("ConsentManagers", .consent), ("Anti-fraud", .other), ("Disconnect", .other),
        ])
    func disconnectMapping(name: String, expected: TrackerCategory) {
        #expect(TrackerCategory.fromDisconnect(name) == expected)
    }

    @Test(
        "DuckDuckGo categories map onto Crumbs categories",
        arguments: [
            ("Social - Share", TrackerCategory.social), ("Social - Comment", .social), ("Social Network", .social),
            ("Session Replay", .sessionReplay), ("Tag Manager", .tagManager), ("Audience Measurement", .analytics),
            ("Third-Party Analytics Marketing", .analytics), ("Embedded Content", .content),
            ("Content Delivery", .content), ("Advertising", .advertising), ("Ad Motivated Tracking", .advertising),
            ("Action Pixels", .advertising), ("Ad Fraud", .other), ("Federated Login", .other),
        ])
    func duckDuckGoMapping(name: String, expected: TrackerCategory) {
        #expect(TrackerCategory.fromDuckDuckGo(name) == expected)
    }

    @Test func unknownUpstreamNamesAreNotGuessed() {
        #expect(TrackerCategory.fromDisconnect("Mystery") == nil)
        #expect(TrackerCategory.fromDuckDuckGo("Brand New Category") == nil)
    }

    @Test func curatedSpellingsParseForgivingly() {
        #expect(TrackerCategory(name: "tagManager") == .tagManager)
        #expect(TrackerCategory(name: "tag-manager") == .tagManager)
        #expect(TrackerCategory(name: "Session_Replay") == .sessionReplay)
        #expect(TrackerCategory(name: "telepathy") == nil)
    }

    @Test func privacyBadgerButtonsAreSocialAndEmbedsAreContent() {
        #expect(SocialWidget.Kind.button.category == .social)
        #expect(SocialWidget.Kind.embed.category == .content)
        #expect(SocialWidget.Kind.widget.category == .content)
    }

    @Test func setHoldsEveryCategoryInOneIntegerAndIteratesInOrder() {
        var set: TrackerCategorySet = [.social, .analytics]
        set.insert(.other)
        #expect(set.count == 3)
        #expect(Array(set) == [.analytics, .social, .other])
        #expect(set.description == "analytics,social,other")
        #expect(set.withoutRedundantOther == [.analytics, .social])
        #expect(TrackerCategorySet([.other]).withoutRedundantOther == [.other])
        #expect(TrackerCategorySet(TrackerCategory.allCases).count == TrackerCategory.allCases.count)
    }

    @Test func primaryCategoryPrefersTheMostTellingRole() {
        #expect(TrackerCategorySet([.advertising, .tagManager]).primary == .tagManager)
        #expect(TrackerCategorySet([.advertising, .social, .analytics]).primary == .social)
        #expect(TrackerCategorySet([.analytics, .sessionReplay]).primary == .sessionReplay)
        #expect(TrackerCategorySet([.fingerprinting, .analytics]).primary == .analytics)
        #expect(TrackerCategorySet().primary == nil)
        #expect(Set(TrackerCategory.displayPriority) == Set(TrackerCategory.allCases))
    }

    @Test func setEncodesAsAnArrayOfNames() throws {
        let set: TrackerCategorySet = [.consent, .email]
        let data = try JSONEncoder().encode(set)
        #expect(String(decoding: data, as: UTF8.self) == #"["consent","email"]"#)
        #expect(try JSONDecoder().decode(TrackerCategorySet.self, from: data) == set)
    }
}
