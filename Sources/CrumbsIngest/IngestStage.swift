import CrumbsLists
import CrumbsModel

/// The recorder's stage between the proxy (or an importer) and the store: order each batch by
/// start time, classify every event on its whole request, then reduce it to what may be stored.
///
/// Runs on the recorder's thread, off the event loop. After `process`, no event carries its
/// `detail` (full target, page host, User-Agent) and no `tunnelOpened` marker remains.
public struct IngestStage: Sendable {
    public let classifier: EventClassifier

    public init(classifier: EventClassifier) {
        self.classifier = classifier
    }

    /// Classified, reduced events, ordered by start time (ties keep their recording order).
    public func process(_ events: [RequestEvent]) -> [RequestEvent] {
        // One copy of the batch, changed in place from here on.
        var batch = events
        // Events are recorded when they complete; attribution needs them in the order they began.
        // (Swift's sort is stable: equal times keep their recording order.)
        if !batch.isSorted(by: { $0.time <= $1.time }) { batch.sort { $0.time < $1.time } }
        classifier.classify(&batch)
        batch.removeAll { !$0.isStored }
        for index in batch.indices { batch[index].detail = nil }
        return batch
    }
}

extension Array {
    fileprivate func isSorted(by areInOrder: (Element, Element) -> Bool) -> Bool {
        zip(self, dropFirst()).allSatisfy(areInOrder)
    }
}
