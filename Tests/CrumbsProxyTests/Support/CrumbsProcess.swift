import CrumbsTestSupport
import Foundation
import NIOConcurrencyHelpers

/// The built `crumbs` binary, started as a child process with its own data directory.
final class CrumbsProcess {
    let process = Process()
    let dataDirectory: URL
    private(set) var port = 0
    private let output = NIOLockedValueBox("")

    /// `CRUMBS_BINARY` (set by scripts/test), else the debug build next to the sources.
    static var binary: URL {
        if let path = ProcessInfo.processInfo.environment["CRUMBS_BINARY"] { return URL(fileURLWithPath: path) }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/crumbs")
    }

    /// `fileSizeLimitKiB` starts the binary under `ulimit -f`, so writes past that size fail
    /// as they would on a full disk.
    /// `dataDirectory`: one the test prepared (it is handed to the unprivileged user); by
    /// default a new one under the temporary directory.
    /// `defaultLists`: load the lists a user gets by default (the curated list and Debian's
    /// packages, which scripts/test installs) instead of only those named with `--list`.
    init(
        arguments: [String] = [], dataDirectory: URL? = nil, fileSizeLimitKiB: Int? = nil, defaultLists: Bool = false
    ) throws {
        self.dataDirectory =
            dataDirectory
            ?? FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-test-\(UUID().uuidString)")
        guard FileManager.default.isExecutableFile(atPath: Self.binary.path) else {
            throw RawClientError("crumbs binary not found at \(Self.binary.path); run scripts/test or swift build")
        }
        // Without the lists installed on this machine: tests must not depend on what apt put there.
        let runArguments =
            ["run", "--listen", "127.0.0.1:0", "--data-dir", self.dataDirectory.path]
            + (defaultLists ? [] : ["--no-default-lists"]) + arguments
        // The binary creates the data directory itself (under the world-writable temporary
        // directory), as the unprivileged user it runs as.
        if let fileSizeLimitKiB {
            Unprivileged.configure(
                process, executable: "/bin/sh",
                arguments: ["-c", "ulimit -f \(fileSizeLimitKiB) && exec \"$0\" \"$@\"", Self.binary.path]
                    + runArguments)
        } else {
            Unprivileged.configure(process, executable: Self.binary.path, arguments: runArguments)
        }
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = self.dataDirectory.appendingPathComponent("config").path
        process.environment = environment
        try Unprivileged.handOver(self.dataDirectory)
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.withLockedValue { $0 += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline && process.isRunning {
            let text = output.withLockedValue { $0 }
            if let range = text.range(of: "listening on 127.0.0.1:") {
                let digits = text[range.upperBound...].prefix(while: \.isNumber)
                if let port = Int(digits) {
                    self.port = port
                    return
                }
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        throw RawClientError("crumbs did not start: \(output.withLockedValue { $0 })")
    }

    /// A test that fails half-way must not leave its proxy running: kill it if still alive.
    deinit {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }

    var log: String { output.withLockedValue { $0 } }

    /// Peak resident memory (VmHWM) in bytes.
    var peakResidentBytes: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") } ?? ""
        return (Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0) * 1024
    }

    /// Sends SIGTERM and waits (bounded) for the exit status.
    func terminate(seconds: Double = 15) -> Int32? {
        process.terminate()
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            return nil
        }
        return process.terminationStatus
    }

    func removeData() {
        try? FileManager.default.removeItem(at: dataDirectory)
    }
}
