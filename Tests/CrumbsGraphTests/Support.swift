import Foundation

/// Where the tests leave files for people to look at (ignored by git: `/artifacts/`).
enum GraphArtifacts {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let directory = repository.appendingPathComponent("artifacts/graph")

    static func file(_ name: String) throws -> URL {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory.appendingPathComponent(name)
    }

    /// `CRUMBS_BINARY` (set by scripts/test), else the debug build beside the sources.
    static var crumbs: String {
        ProcessInfo.processInfo.environment["CRUMBS_BINARY"]
            ?? repository.appendingPathComponent(".build/debug/crumbs").path
    }
}

/// Runs a program through coreutils `timeout`, so a hung child fails the test instead of the suite.
/// Output goes to files, not pipes: a chatty browser cannot block on a full pipe.
func runBounded(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, seconds: Int = 90)
    throws -> (status: Int32, output: String, error: String)
{
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-run-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let out = directory.appendingPathComponent("out")
    let err = directory.appendingPathComponent("err")
    FileManager.default.createFile(atPath: out.path, contents: nil)
    FileManager.default.createFile(atPath: err.path, contents: nil)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
    process.arguments = [String(seconds), executable] + arguments
    if let environment { process.environment = environment }
    process.standardOutput = try FileHandle(forWritingTo: out)
    process.standardError = try FileHandle(forWritingTo: err)
    try process.run()
    process.waitUntilExit()
    return (
        process.terminationStatus, try String(contentsOf: out, encoding: .utf8),
        try String(contentsOf: err, encoding: .utf8)
    )
}
