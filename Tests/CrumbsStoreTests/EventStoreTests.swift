import CrumbsModel
import CrumbsStore
import Foundation
import Testing

@Suite struct EventStoreTests {
    @Test func everyFieldSurvivesARoundTripThroughAFile() throws {
        try withTemporaryDirectory { directory in
            let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
            let events = [fullEvent(1), minimalEvent(2)]
            try store.append(events)
            expectSameEvents(try store.events(), events)
        }
    }

    @Test func inMemoryStoreKeepsEvents() throws {
        let store = try EventStore.inMemory()
        try store.append([fullEvent(), minimalEvent()])
        #expect(try store.eventCount() == 2)
        #expect(store.path == ":memory:")
    }

    @Test func tenThousandEventsAppendInOneBatch() throws {
        try withTemporaryDirectory { directory in
            let store = try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path)
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            let events = (0..<10_000).map { index in
                index.isMultiple(of: 2)
                    ? fullEvent(index, time: start.addingTimeInterval(Double(index) / 1000))
                    : minimalEvent(index, time: start.addingTimeInterval(Double(index) / 1000))
            }
            try store.append(events)
            #expect(try store.eventCount() == 10_000)
            expectSameEvents(try store.events(), events)
        }
    }

    @Test func queriesFilterByTimeAndKeepRecordingOrderForEqualTimes() throws {
        let store = try EventStore.inMemory()
        let base = Date(timeIntervalSince1970: 1_700_000_000)
        let late = fullEvent(3, time: base.addingTimeInterval(30))
        let first = fullEvent(1, time: base.addingTimeInterval(10))
        let second = minimalEvent(2, time: base.addingTimeInterval(10))
        let early = minimalEvent(0, time: base)
        try store.append([late, first, second])
        try store.append([early])

        expectSameEvents(try store.events(), [early, first, second, late])
        // since is inclusive, until exclusive.
        expectSameEvents(
            try store.events(since: base.addingTimeInterval(10), until: base.addingTimeInterval(30)),
            [first, second])
        expectSameEvents(try store.events(since: base.addingTimeInterval(1), limit: 1), [first])
        #expect(try store.events(limit: 0).isEmpty)
        #expect(try store.events(since: base.addingTimeInterval(31)).isEmpty)
    }

    @Test func emptyBatchIsANoOp() throws {
        let store = try EventStore.inMemory()
        try store.append([])
        #expect(try store.eventCount() == 0)
    }

    @Test func reopeningAFileKeepsItsEvents() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("nested/deeper/crumbs.sqlite").path
            do {
                let store = try EventStore(path: path)
                try store.append([fullEvent()])
            }
            let reopened = try EventStore(path: path)
            #expect(try reopened.eventCount() == 1)
            expectSameEvents(try reopened.events(), [fullEvent()])
        }
    }

    @Test func databaseFileIsReadableByItsOwnerOnly() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("crumbs.sqlite").path
            _ = try EventStore(path: path)
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600)
        }
    }

    @Test func fileHoldsCookieNamesAndHashesButNoRawValue() throws {
        // The proxy hashes values before they reach the model; this guards that nothing on the
        // way (or a future column) brings a raw value into the database.
        let rawValue = "RAW-VALUE-the-store-never-sees-7f3a"
        let hash = "hmac-9d1c0e7b2a4f"
        try withTemporaryDirectory { directory in
            do {
                let store = try EventStore(
                    path: directory.appendingPathComponent("crumbs.sqlite").path)
                var event = minimalEvent()
                event.cookiesSent = [
                    SentCookie(name: "tracking_uid", valueHash: hash, valueLength: rawValue.utf8.count)
                ]
                try store.append([event])
            }  // closing the pool checkpoints the WAL into the main file
            var bytes = Data()
            for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
                bytes += try Data(contentsOf: directory.appendingPathComponent(name))
            }
            #expect(bytes.range(of: Data(hash.utf8)) != nil)
            #expect(bytes.range(of: Data("tracking_uid".utf8)) != nil)
            #expect(bytes.range(of: Data(rawValue.utf8)) == nil)
        }
    }

    @Test func pathUnderARegularFileReportsAClearError() throws {
        try withTemporaryDirectory { directory in
            let file = directory.appendingPathComponent("file.txt")
            try Data("not a directory".utf8).write(to: file)
            let path = file.appendingPathComponent("crumbs.sqlite").path
            let error = #expect(throws: StoreError.self) { try EventStore(path: path) }
            #expect(error?.operation == .open)
            #expect(error?.path == path)
            #expect(error?.description == "cannot open event store at \(path): \(file.path) is not a directory")
        }
    }

    @Test func pathThatIsADirectoryReportsAClearError() throws {
        try withTemporaryDirectory { directory in
            let error = #expect(throws: StoreError.self) { try EventStore(path: directory.path) }
            #expect(error?.operation == .open)
            #expect(error?.description.hasPrefix("cannot open event store at \(directory.path): ") == true)
        }
    }

    @Test func fileThatIsNotADatabaseReportsAClearError() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("crumbs.sqlite").path
            try Data(repeating: 0x41, count: 4096).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: StoreError.self) { try EventStore(path: path) }
            #expect(error?.path == path)
            #expect(error?.reason == "file is not a database")
        }
    }

    @Test func writeErrorNamesThePathAndReason() {
        let error = StoreError(.write, path: "/x/crumbs.sqlite", reason: "disk full")
        #expect(error.description == "cannot write events to /x/crumbs.sqlite: disk full")
        #expect(error.localizedDescription == error.description)
    }
}
