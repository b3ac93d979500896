import Foundation

@testable import CrumbsCA

/// A fresh directory per test (Swift Testing runs tests in parallel), removed by `cleanUp`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.path + "/crumbs-ca-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    var store: CAStore { CAStore(dataDirectory: path) }

    func cleanUp() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

/// Permission bits of a file, for the 0600/0700 checks.
func permissions(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// A clock tests can move forward. NSLock rather than NIOConcurrencyHelpers so the test target
/// needs no NIO dependency; the lock guards the only mutable state, hence `@unchecked`.
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date = Date()) {
        current = start
    }

    var now: Date { lock.withLock { current } }

    func advance(days: Double) {
        lock.withLock { current = current.addingTimeInterval(days * 86_400) }
    }
}

/// Runs `body` and returns the CAError it throws (nil if it throws none or another error).
func caError(_ body: () throws -> some Any) -> CAError? {
    do {
        _ = try body()
        return nil
    } catch {
        return error as? CAError
    }
}
