import CrumbsLists
import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation
import Testing

@testable import crumbs

/// Files the tests compare with, and where they leave artefacts for people to look at.
enum TestFiles {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let golden = repository.appendingPathComponent("Tests/Fixtures/Digest")
    static let schema = repository.appendingPathComponent("Schemas/digest.schema.json")
    /// Ignored by git (`/artifacts/` in .gitignore).
    static let artifacts = repository.appendingPathComponent("artifacts/digest")

    /// Compares `text` with the golden file `name`; `CRUMBS_UPDATE_GOLDEN=1` rewrites it instead.
    static func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let url = golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["CRUMBS_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        if text != expected {
            try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
            try text.write(to: artifacts.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        #expect(
            text == expected, "differs from \(name); the output is in artifacts/digest/\(name)",
            sourceLocation: sourceLocation)
    }

    static func artifact(_ name: String) throws -> URL {
        try FileManager.default.createDirectory(at: artifacts, withIntermediateDirectories: true)
        return artifacts.appendingPathComponent(name)
    }
}

/// The fixture day's digest, as `crumbs digest --day yesterday` would show it on 2026-11-21.
func fixtureDigest() throws -> Digest {
    try DigestFixture.withStore { store, _ in
        let period = DigestPeriod(
            day: DigestFixture.day, today: DigestFixture.day.adding(days: 1),
            timeZone: DigestFixture.zone)
        return try DigestQuery.digest(store: store, period: period, timeZone: DigestFixture.zone) {
            PublicSuffixList.builtIn
        }
    }
}

/// Runs a tool through coreutils `timeout`, so that a hung process fails the test instead of the suite.
func runTool(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, seconds: Int = 60)
    -> (status: Int32, output: String, error: String)
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    process.arguments = [String(seconds), executable] + arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    do { try process.run() } catch { return (-1, "", "\(error)") }
    // Drain stderr on another thread: a child filling either pipe would otherwise block forever.
    nonisolated(unsafe) var errorData = Data()
    let drained = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
        errorData = err.fileHandleForReading.readDataToEndOfFile()
        drained.signal()
    }
    let outputData = out.fileHandleForReading.readDataToEndOfFile()
    drained.wait()
    process.waitUntilExit()
    return (
        process.terminationStatus, String(decoding: outputData, as: UTF8.self),
        String(decoding: errorData, as: UTF8.self)
    )
}
