import CrumbsModel
import Foundation
import Logging
import Testing

/// A fresh directory under the system temporary directory, removed when `body` returns.
func withTemporaryDirectory<T>(_ body: (URL) throws -> T) throws -> T {
    let url = FileManager.default.temporaryDirectory
        .appendingPathComponent("crumbs-store-tests-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: url) }
    return try body(url)
}

/// Polls `condition` every few milliseconds until it holds or `timeout` passes.
func eventually(timeout: TimeInterval = 5, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if try condition() { return true }
        Thread.sleep(forTimeInterval: 0.002)
    }
    return try condition()
}

/// An event with every optional field set and cookies of both kinds.
func fullEvent(_ index: Int = 0, time: Date = Date(timeIntervalSince1970: 1_700_000_000.125))
    -> RequestEvent
{
    RequestEvent(
        time: time, clientAddress: "127.0.0.1:5\(index % 10000)", kind: .tunnel, method: "GET",
        scheme: "https", host: "tracker\(index).example", port: 8443, path: "/pixel/\(index).gif",
        status: 204, bytesUp: 1_234_567_890_123, bytesDown: 42, duration: 0.25,
        contentType: "image/gif", refererSite: "news.example", originSite: "news.example",
        secFetchSite: "cross-site", secFetchMode: "no-cors", secFetchDest: "image",
        cookiesSent: [
            SentCookie(name: "uid", valueHash: "hash-uid-\(index)", valueLength: 32),
            SentCookie(name: "_ga", valueHash: "hash-ga-\(index)", valueLength: 27),
        ],
        cookiesSet: [
            SetCookieObservation(
                name: "uid", valueHash: "hash-set-\(index)", valueLength: 32,
                domain: ".tracker.example", path: "/",
                expires: Date(timeIntervalSince1970: 1_731_536_000.5), secure: true,
                httpOnly: true, sameSite: SetCookieObservation.SameSite.none, partitioned: true),
            SetCookieObservation(name: "session", valueHash: "hash-session", valueLength: 8),
        ],
        failure: "upstream: connection reset")
}

/// An event with every optional field nil and no cookies.
func minimalEvent(_ index: Int = 0, time: Date = Date(timeIntervalSince1970: 1_700_000_001))
    -> RequestEvent
{
    RequestEvent(
        time: time, clientAddress: "[::1]:6000", method: "CONNECT", scheme: "https",
        host: "plain\(index).example", port: 443)
}

/// Stored times are integer milliseconds and durations integer microseconds: compare times
/// within half a millisecond, durations within half a microsecond, and everything else exactly.
func expectSameEvents(
    _ stored: [RequestEvent], _ original: [RequestEvent],
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(stored.count == original.count, sourceLocation: sourceLocation)
    for (got, want) in zip(stored, original) {
        #expect(abs(got.time.timeIntervalSince(want.time)) < 0.000_501, sourceLocation: sourceLocation)
        #expect(abs(got.duration - want.duration) < 0.000_000_501, sourceLocation: sourceLocation)
        var got = got
        got.time = want.time
        got.duration = want.duration
        for index in got.cookiesSet.indices {
            guard let expires = got.cookiesSet[index].expires,
                let wanted = want.cookiesSet[safe: index]?.expires
            else { continue }
            #expect(abs(expires.timeIntervalSince(wanted)) < 1e-6, sourceLocation: sourceLocation)
            got.cookiesSet[index].expires = wanted
        }
        #expect(got == want, sourceLocation: sourceLocation)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}

/// Log entries kept in memory, so tests can count errors and notices.
final class LogCapture: @unchecked Sendable {
    struct Entry {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let lock = NSLock()
    private var stored: [Entry] = []

    var entries: [Entry] { lock.withLock { stored } }

    func entries(_ level: Logger.Level) -> [Entry] { entries.filter { $0.level == level } }

    func append(_ entry: Entry) { lock.withLock { stored.append(entry) } }

    var logger: Logger {
        Logger(label: "crumbs.store.test") { _ in Handler(capture: self) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append(
                Entry(
                    level: event.level, message: event.message.description,
                    metadata: metadata.merging(event.metadata ?? [:]) { $1 }))
        }
    }
}

/// A write function that fails while `failing` is set (or for the first `failures` calls),
/// and otherwise keeps every batch it was given.
final class FlakyWriter: @unchecked Sendable {
    private let lock = NSLock()
    private var remainingFailures: Int
    private var failingForever: Bool
    private var stored: [[RequestEvent]] = []
    private var attemptCount = 0

    init(failures: Int = 0, failing: Bool = false) {
        remainingFailures = failures
        failingForever = failing
    }

    var batches: [[RequestEvent]] { lock.withLock { stored } }
    var events: [RequestEvent] { batches.flatMap { $0 } }
    var attempts: Int { lock.withLock { attemptCount } }

    func recover() { lock.withLock { failingForever = false } }

    var write: @Sendable ([RequestEvent]) throws -> Void {
        { [self] batch in try self.accept(batch) }
    }

    private func accept(_ batch: [RequestEvent]) throws {
        try lock.withLock {
            attemptCount += 1
            if failingForever || remainingFailures > 0 {
                remainingFailures -= 1
                throw DiskFull()
            }
            stored.append(batch)
        }
    }

    struct DiskFull: Error, CustomStringConvertible {
        var description: String { "disk full" }
    }
}
