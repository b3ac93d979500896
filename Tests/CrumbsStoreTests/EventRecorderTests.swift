import CrumbsModel
import Foundation
import Synchronization
import Testing

@testable import CrumbsStore

@Suite struct EventRecorderTests {
    @Test func recordedEventReachesTheDatabaseWithin250Milliseconds() throws {
        try withTemporaryDirectory { directory in
            let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
            let recorder = EventRecorder(write: store.append, logger: LogCapture().logger)
            defer { recorder.shutdown(timeout: .seconds(5)) }
            // Twice: the first event after a quiet spell, then one that lands mid-interval.
            for round in 1...2 {
                let recorded = Date()
                recorder.record(fullEvent(round))
                #expect(try eventually { try store.eventCount() == round })
                #expect(Date().timeIntervalSince(recorded) < 0.25)
            }
        }
    }

    @Test func fullBatchIsWrittenWithoutWaitingForTheInterval() {
        let writer = FlakyWriter()
        let recorder = EventRecorder(
            write: writer.write, flushInterval: .seconds(3600), batchSize: 10,
            logger: LogCapture().logger)
        defer { recorder.shutdown(timeout: .seconds(5)) }
        for index in 0..<25 { recorder.record(minimalEvent(index)) }
        // With an hour-long interval only full batches get written: fewer than ten stay queued.
        #expect(eventually(timeout: 5) { recorder.pendingCount < 10 })
        #expect(writer.events.count + recorder.pendingCount == 25)
        #expect(writer.events.count >= 16)
        #expect(writer.batches.allSatisfy { $0.count <= 10 })
        #expect(writer.events.map(\.host) == (0..<writer.events.count).map { "plain\($0).example" })
    }

    @Test func failedWritesKeepEventsAndDeliverThemAfterRecovery() {
        let writer = FlakyWriter(failures: 5)
        let logs = LogCapture()
        let recorder = EventRecorder(
            write: writer.write, flushInterval: .milliseconds(5),
            retryInterval: .milliseconds(10), logger: logs.logger)
        defer { recorder.shutdown(timeout: .seconds(5)) }
        let events = (0..<50).map { minimalEvent($0) }
        for event in events { recorder.record(event) }

        #expect(recorder.flush(timeout: .seconds(5)))
        #expect(writer.attempts > 5)
        #expect(writer.events == events)
        #expect(recorder.writtenCount == 50)
        #expect(recorder.pendingCount == 0)
        #expect(recorder.droppedCount == 0)
        // One error for the whole failing stretch, one notice when it ends.
        let errors = logs.entries(.error)
        #expect(errors.count == 1)
        #expect(errors.first?.metadata["store.error"]?.description == "disk full")
        let notices = logs.entries(.notice)
        #expect(notices.count == 1)
        #expect(notices.first?.message.hasPrefix("storage recovered, ") == true)
    }

    @Test func fullQueueDropsTheOldestEventsAndCountsThem() {
        let writer = FlakyWriter(failing: true)
        let logs = LogCapture()
        let recorder = EventRecorder(
            write: writer.write, flushInterval: .milliseconds(5), batchSize: 4, capacity: 10,
            retryInterval: .milliseconds(20), logger: logs.logger)
        defer { recorder.shutdown(timeout: .seconds(5)) }
        let events = (0..<30).map { minimalEvent($0) }
        for event in events { recorder.record(event) }

        // Once no failed batch is on its way back to the queue, ten events remain; the writer
        // thread reports the drops after its next attempt.
        #expect(
            eventually {
                recorder.pendingCount == 10 && recorder.droppedCount == 20
                    && logs.entries(.warning).count == 1
            })
        writer.recover()
        #expect(recorder.flush(timeout: .seconds(5)))
        #expect(writer.events == Array(events.suffix(10)))
        #expect(recorder.droppedCount == 20)
        #expect(recorder.writtenCount == 10)
        #expect(logs.entries(.warning).count == 1)
        #expect(logs.entries(.error).count == 1)
        let recovered = logs.entries(.notice).filter { $0.message.hasPrefix("storage recovered") }
        #expect(recovered.count == 1)
        #expect(recovered.first?.metadata["store.dropped"]?.description == "20")
    }

    @Test func afterRecoveryTheQueueGivesItsMemoryBack() {
        let writer = FlakyWriter(failing: true)
        let released = Atomic<Int>(0)
        let size = minimalEvent(0).approximateFootprint
        let recorder = EventRecorder(
            write: writer.write, flushInterval: .milliseconds(5), batchSize: 1000, capacityBytes: size * 5000,
            retryInterval: .milliseconds(20), logger: LogCapture().logger,
            releaseMemory: { released.add(1, ordering: .relaxed) })
        defer { recorder.shutdown(timeout: .seconds(5)) }
        for index in 0..<20_000 { recorder.record(minimalEvent(index)) }
        #expect(eventually { recorder.pendingCount <= 5000 + 1000 && recorder.droppedCount > 0 })
        #expect(recorder.pendingBytes <= size * 5000)
        writer.recover()
        #expect(recorder.flush(timeout: .seconds(5)))
        #expect(eventually { released.load(ordering: .relaxed) == 1 && recorder.reservedSlots == 0 })
    }

    @Test func shutdownWritesEverythingRecordedBeforeIt() throws {
        try withTemporaryDirectory { directory in
            let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
            let recorder = EventRecorder(
                write: store.append, flushInterval: .seconds(3600), batchSize: 100_000,
                logger: LogCapture().logger)
            for index in 0..<5_000 { recorder.record(minimalEvent(index)) }
            #expect(recorder.shutdown(timeout: .seconds(10)))
            #expect(try store.eventCount() == 5_000)
            #expect(recorder.writtenCount == 5_000)
            #expect(recorder.pendingCount == 0)

            recorder.record(minimalEvent())  // after shutdown: refused and counted apart, not written
            #expect(recorder.refusedAfterShutdownCount == 1)
            #expect(recorder.droppedCount == 0)
            #expect(try store.eventCount() == 5_000)
        }
    }

    @Test func flushAndShutdownGiveUpAtTheirTimeoutWhileWritesFail() {
        let writer = FlakyWriter(failing: true)
        let recorder = EventRecorder(
            write: writer.write, flushInterval: .milliseconds(5),
            retryInterval: .milliseconds(10), logger: LogCapture().logger)
        recorder.record(minimalEvent())
        let start = Date()
        #expect(!recorder.flush(timeout: .milliseconds(100)))
        #expect(!recorder.shutdown(timeout: .milliseconds(100)))
        #expect(Date().timeIntervalSince(start) < 2)
        #expect(recorder.pendingCount == 1)
    }

    @Test func flushWithNothingRecordedReturnsAtOnce() {
        let recorder = EventRecorder(write: { _ in }, logger: LogCapture().logger)
        defer { recorder.shutdown(timeout: .seconds(5)) }
        #expect(recorder.flush(timeout: .milliseconds(1)))
    }
}
