import CrumbsIngest
import CrumbsLists
import CrumbsModel
import Foundation
import Testing

/// The recorder's stage: order by start time, classify on the whole request, reduce.
struct IngestStageTests {
    static let start = Date(timeIntervalSince1970: 1_765_000_000)

    private static func tunnel(_ host: String, at second: Double, kind: RequestEvent.Kind = .tunnel) -> RequestEvent {
        EventBuilderTests.builder.tunnel(
            host: host, port: 443, kind: kind, client: "127.0.0.1",
            time: start.addingTimeInterval(second))
    }

    @Test func eventsAreJudgedInStartOrderAndComeOutWithoutMarkersOrDetails() {
        let stage = IngestStage(classifier: EventClassifier(lists: .minimal))
        let batch = [
            Self.tunnel("www.news.example", at: 0, kind: .tunnelOpened),
            Self.tunnel("t.tracker.example", at: 0.3, kind: .tunnelOpened),
            // Closed first, so recorded first; opened second.
            Self.tunnel("t.tracker.example", at: 0.3),
            Self.tunnel("www.news.example", at: 0),
        ]
        let out = stage.process(batch)
        #expect(out.map(\.host) == ["t.tracker.example", "www.news.example"])
        #expect(out.allSatisfy { $0.detail == nil && $0.classification != nil && $0.kind == .tunnel })
        #expect(out.map { $0.classification?.firstPartySite } == ["news.example", "news.example"])
        #expect(out.first?.classification?.attribution == .inferredNavigation)
        #expect(out.first?.classification?.isThirdParty == true)
    }

    /// Attribution keeps state across batches: a tunnel recorded in a later batch than the page
    /// that opened after it still goes to the page before it.
    @Test func aLaterBatchDoesNotMoveATunnelToALaterPage() {
        let stage = IngestStage(classifier: EventClassifier(lists: .minimal))
        _ = stage.process([
            Self.tunnel("www.a.example", at: 0, kind: .tunnelOpened),
            Self.tunnel("cdn.a.example", at: 0.5, kind: .tunnelOpened),
            Self.tunnel("www.b.example", at: 10, kind: .tunnelOpened),
            Self.tunnel("cdn.b.example", at: 10.5, kind: .tunnelOpened),
        ])
        let late = stage.process([Self.tunnel("cdn.a.example", at: 0.5)])
        #expect(late.first?.classification?.firstPartySite == "a.example")
    }
}
