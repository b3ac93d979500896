import CrumbsModel
import Foundation
import Testing

@testable import CrumbsStore

/// A database capped at its current size stands in for a full disk.
@Suite struct EventStoreFullDiskTests {
    @Test func fullDatabaseReportsPathAndReasonAndKeepsEarlierBatches() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("crumbs.sqlite").path
            let store = try EventStore(path: path)
            try store.append([fullEvent()])
            try store.limitSize(toPages: 1)

            let error = #expect(throws: StoreError.self) {
                try store.append((0..<2_000).map { fullEvent($0) })
            }
            #expect(error?.operation == .write)
            #expect(error?.description == "cannot write events to \(path): database or disk is full")
            // The failed batch was one transaction: nothing of it is left behind.
            #expect(try store.eventCount() == 1)
        }
    }

    @Test func recorderKeepsEventsWhileTheDatabaseIsFullAndWritesThemOnceThereIsRoom() throws {
        try withTemporaryDirectory { directory in
            let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
            try store.append([minimalEvent()])
            try store.limitSize(toPages: 1)
            let logs = LogCapture()
            let recorder = EventRecorder(
                write: store.append, flushInterval: .milliseconds(5),
                retryInterval: .milliseconds(20), logger: logs.logger)
            defer { recorder.shutdown(timeout: .seconds(5)) }

            let events = (1...2_000).map { fullEvent($0) }
            for event in events { recorder.record(event) }
            #expect(eventually { !logs.entries(.error).isEmpty })
            #expect(recorder.pendingCount + recorder.writtenCount == 2_000)
            #expect(
                logs.entries(.error).first?.metadata["store.error"]?.description.hasSuffix(
                    "database or disk is full") == true)

            try store.limitSize(toPages: 1_000_000)
            #expect(recorder.flush(timeout: .seconds(10)))
            #expect(try store.eventCount() == 2_001)
            #expect(logs.entries(.error).count == 1)
            #expect(recorder.droppedCount == 0)
        }
    }
}
