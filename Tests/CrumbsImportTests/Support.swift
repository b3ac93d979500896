import CrumbsModel
import CrumbsStore
import CrumbsTestSupport
import Foundation

/// The HAR fixtures and the built binary, run as a user would run them.
enum ImportSupport {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let fixtures = repository.appendingPathComponent("Tests/Fixtures/HAR")

    static func fixture(_ name: String) -> URL { fixtures.appendingPathComponent(name) }

    /// `CRUMBS_BINARY` (set by scripts/test), else the debug build beside the sources.
    static var crumbs: String {
        ProcessInfo.processInfo.environment["CRUMBS_BINARY"]
            ?? repository.appendingPathComponent(".build/debug/crumbs").path
    }
}

/// A data directory for one test, removed at the end, and `crumbs` run on it unprivileged.
final class ImportWorkspace {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-import-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    var data: URL { directory.appendingPathComponent("data") }
    var database: URL { data.appendingPathComponent("crumbs.sqlite") }

    /// A copy of a fixture (or any bytes) in the workspace, readable by the unprivileged user.
    func file(_ name: String, contents: Data) throws -> URL {
        let url = directory.appendingPathComponent(name)
        try contents.write(to: url)
        return url
    }

    func copy(fixture name: String) throws -> URL {
        try file(name, contents: Data(contentsOf: ImportSupport.fixture(name)))
    }

    /// `crumbs SUBCOMMAND --data-dir DATA ARGUMENTS`, bounded in time; `input` goes to stdin.
    func crumbs(_ subcommand: String, _ arguments: [String], input: Data? = nil) throws -> (
        status: Int32, output: String, error: String
    ) {
        try Unprivileged.handOver(directory)
        // "devices name": a subcommand's own subcommand comes before the options.
        let words = subcommand.split(separator: " ").map(String.init)
        let command = Unprivileged.command(ImportSupport.crumbs, words + ["--data-dir", data.path] + arguments)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = directory.appendingPathComponent("config").path
        let out = directory.appendingPathComponent("out-\(UUID())")
        let err = directory.appendingPathComponent("err-\(UUID())")
        FileManager.default.createFile(atPath: out.path, contents: nil)
        FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["120", command.executable] + command.arguments
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        if let input {
            let pipe = Pipe()
            process.standardInput = pipe
            try process.run()
            pipe.fileHandleForWriting.write(input)
            try pipe.fileHandleForWriting.close()
        } else {
            process.standardInput = FileHandle.nullDevice
            try process.run()
        }
        process.waitUntilExit()
        return (
            process.terminationStatus, try String(contentsOf: out, encoding: .utf8),
            try String(contentsOf: err, encoding: .utf8)
        )
    }

    /// Starts `crumbs SUBCOMMAND --data-dir DATA ARGUMENTS` without waiting for it (the caller
    /// waits, or kills it by its PID).
    func launch(_ subcommand: String, _ arguments: [String]) throws -> Process {
        try Unprivileged.handOver(directory)
        let process = Process()
        Unprivileged.configure(
            process, executable: ImportSupport.crumbs, arguments: [subcommand, "--data-dir", data.path] + arguments)
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = directory.appendingPathComponent("config").path
        process.environment = environment
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Imports `files` (paths in the workspace) and fails loudly if crumbs does.
    @discardableResult
    func importFiles(_ files: [URL], _ extra: [String] = []) throws -> String {
        let run = try crumbs("import", files.map(\.path) + extra)
        guard run.status == 0 else { throw ImportTestError("crumbs import failed (\(run.status)): \(run.error)") }
        return run.output
    }

    func events() throws -> [RequestEvent] {
        try EventStore(path: database.path).events()
    }

    /// Every byte of every file in the data directory, for "never stored" checks.
    func allStoredBytes() throws -> Data {
        var bytes = Data()
        for case let name as String in FileManager.default.enumerator(atPath: data.path) ?? .init() {
            let url = data.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                bytes += try Data(contentsOf: url)
            }
        }
        return bytes
    }
}

struct ImportTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Data {
    func contains(_ text: String) -> Bool { range(of: Data(text.utf8)) != nil }
}
