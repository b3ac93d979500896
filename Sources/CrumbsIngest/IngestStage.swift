import CrumbsLists
import CrumbsModel

/// The recorder's stage between the proxy (or an importer) and the store: take each batch in
/// start-time order, classify every event on its whole request, then reduce it to what may be
/// stored. (The batch keeps its recording order; only the classifier sees it by start time.)
///
/// Runs on the recorder's thread, off the event loop. After `process`, no event carries its
/// `detail` (full target, page host, User-Agent) and no `tunnelOpened` marker remains, and each
/// is reduced to what the storage policy (privacy levels) keeps.
public struct IngestStage: Sendable {
    public let classifier: EventClassifier
    public let policy: StoragePolicy

    public init(classifier: EventClassifier, policy: StoragePolicy = .full) {
        self.classifier = classifier
        self.policy = policy
    }

    /// Classified, reduced events, in recording order.
    public func process(_ events: consuming [RequestEvent]) -> [RequestEvent] {
        // Changed in place from here on: a caller that hands its batch over (`consuming`) pays
        // for no copy of it.
        var batch = events
        // Events are recorded when they complete; attribution needs them in the order they began.
        // Indices are sorted, not the events (a few hundred bytes each); Swift's sort is stable,
        // so equal times keep their recording order.
        var order: [Int]?
        if !batch.isSorted(by: { $0.time <= $1.time }) {
            order = batch.indices.sorted { batch[$0].time < batch[$1].time }
        }
        classifier.classify(&batch, order: order)
        batch.removeAll { !$0.isStored }
        for index in batch.indices {
            batch[index].detail = nil
            policy.reduce(&batch[index])
        }
        return batch
    }
}

extension Array {
    fileprivate func isSorted(by areInOrder: (Element, Element) -> Bool) -> Bool {
        zip(self, dropFirst()).allSatisfy(areInOrder)
    }
}
