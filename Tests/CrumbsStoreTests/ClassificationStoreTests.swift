import CrumbsModel
import CrumbsStore
import Foundation
import Testing

/// Classifications are stored beside their events and read back whole.
struct ClassificationStoreTests {
    @Test func classificationRoundTripsWithItsEvent() throws {
        try withTemporaryDirectory { directory in
            let store = try EventStore(path: directory.appendingPathComponent("c.sqlite").path)
            var classified = fullEvent(1)
            classified.classification = Classification(
                firstPartySite: "news.example", attribution: .referer, confidence: .high, requestType: "script",
                isThirdParty: true, isSameOwner: false, isTracker: true,
                lists: ["easyprivacy.txt", "crumbs-trackers.tsv"], rule: "||tracker.example^$third-party",
                ruleLocation: "easyprivacy.txt:42", company: "Tracker Inc", categories: ["analytics", "advertising"]
            )
            let plain = minimalEvent(2)
            try store.append([classified, plain])
            let events = try store.events()
            #expect(events.count == 2)
            #expect(events[0].classification == classified.classification)
            #expect(events[1].classification == nil)
        }
    }

    @Test func emptyListsAndCategoriesStayEmpty() throws {
        let store = try EventStore.inMemory()
        var event = minimalEvent()
        event.classification = Classification(attribution: .unattributed, confidence: .none)
        try store.append([event])
        #expect(try store.events().first?.classification == Classification())
    }
}
