import CrumbsModel
import CrumbsStore
import CrumbsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Live capture on `lo`: streams.pcap replayed with tcpreplay while `crumbs capture` (or `crumbs
/// run --capture`) listens as an unprivileged user holding only CAP_NET_RAW and CAP_NET_ADMIN —
/// what `setcap` gives a real user. Root is needed to hand those over (and to replay), so these
/// run only as root; without the capabilities, crumbs must say how to get them and exit 2.
@Suite(.timeLimit(.minutes(2)), .serialized)
struct CaptureLiveTests {
    static let capabilities = ["net_raw", "net_admin"]
    /// Replayed packets only: the tests' own traffic on lo stays out.
    static let filter = "not host 127.0.0.1 and not host ::1"

    @Test func withoutTheCapabilitiesCrumbsSaysHowToGetThemAndExits2() throws {
        let workspace = try ImportWorkspace()
        let run = try workspace.crumbs("capture", ["--interface", "lo"])
        #expect(run.status == 2, "\(run.output) \(run.error)")
        #expect(run.error.contains("capturing on lo is not permitted"))
        #expect(run.error.contains("sudo setcap cap_net_raw,cap_net_admin=eip /"), "\(run.error)")
        #expect(run.error.contains("or run this capture as root:\n  sudo /") && run.error.contains("--interface lo"))
    }

    @Test(.enabled(if: Unprivileged.isRoot, "handing CAP_NET_RAW to the unprivileged crumbs needs root"))
    func badFiltersAndUnknownInterfacesAreClearErrors() throws {
        let workspace = try ImportWorkspace()
        let filter = try LiveRun.start(
            workspace, ["capture", "--interface", "lo", "--filter", "port and and"], keeping: Self.capabilities)
        #expect(filter.waitForExit() == 2 && filter.log.contains("is not valid BPF"), "\(filter.log)")
        let missing = try LiveRun.start(
            workspace, ["capture", "--interface", "no-such-if0"], keeping: Self.capabilities)
        #expect(missing.waitForExit() == 2 && missing.log.contains("no interface named no-such-if0"), "\(missing.log)")
    }

    @Test(.enabled(if: Unprivileged.isRoot, "handing CAP_NET_RAW to the unprivileged crumbs and replaying need root"))
    func aReplayedCaptureGivesTheSameEventsAsTheFile() throws {
        let workspace = try ImportWorkspace()
        let run = try LiveRun.start(
            workspace, ["capture", "--interface", "lo", "--filter", Self.filter], keeping: Self.capabilities)
        try run.waitFor("crumbs capturing on lo")
        try LiveRun.replay(CaptureTests.fixture("streams.pcap"))
        Thread.sleep(forTimeInterval: 1)
        run.interrupt()
        #expect(run.waitForExit() == 0, "\(run.log)")
        #expect(run.log.contains("libpcap: ") && run.log.contains("0 dropped by the kernel"), "\(run.log)")
        #expect(run.log.contains("QUIC server names: 2"))
        let events = try workspace.events()
        let (expected, _) = try CaptureStreamsTests.run("streams.pcap")
        #expect(events.count == expected.count, "\(events.map(\.host))")
        #expect(Set(events.map(\.kind.rawValue)) == Set(expected.map(\.kind.rawValue)))
        #expect(events.contains { $0.host == "shop.eulerian.net" && $0.classification?.isTracker == true })
        let sessions = try EventStore(path: workspace.database.path).captureSessions()
        #expect(sessions.count == 1 && sessions.first?.interface == "lo" && sessions.first?.filter == Self.filter)
        #expect((sessions.first?.received ?? 0) >= 32 && sessions.first?.droppedByKernel == 0)
        #expect(sessions.first?.events == expected.count)
    }

    @Test(.enabled(if: Unprivileged.isRoot, "handing CAP_NET_RAW to the unprivileged crumbs and replaying need root"))
    func runWithCaptureCountsProxiedTrafficOnce() throws {
        let workspace = try ImportWorkspace()
        let run = try LiveRun.start(
            workspace, ["run", "--listen", "127.0.0.1:0", "--capture", "lo", "--no-default-lists"],
            keeping: Self.capabilities)
        try run.waitFor("Crumbs is listening on ")
        let port = try #require(
            run.log.components(separatedBy: "Crumbs is listening on 127.0.0.1:").last?.prefix { $0.isNumber })
        // Through the proxy (to a closed port: the proxy records the attempt), over lo: the
        // capture sees these packets and must leave them to the proxy.
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = [
            "-s", "-o", "/dev/null", "-m", "10", "-x", "http://127.0.0.1:\(port)", "http://127.0.0.1:65534/x",
        ]
        try curl.run()
        curl.waitUntilExit()
        try LiveRun.replay(CaptureTests.fixture("streams.pcap"))
        Thread.sleep(forTimeInterval: 1)
        run.interrupt()
        #expect(run.waitForExit() == 0, "\(run.log)")
        let events = try workspace.events()
        let captured = events.filter { $0.source == .capture }
        let proxied = events.filter { $0.source == .proxy }
        #expect(captured.count == 12, "\(captured.map(\.host))")
        #expect(proxied.map(\.host) == ["127.0.0.1"], "\(proxied.map(\.host))")
        #expect(!captured.contains { $0.clientAddress == "127.0.0.1" || $0.host == "127.0.0.1" })
        #expect(run.log.contains("packets between the proxy and its clients or from this machine"), "\(run.log)")
    }
}

/// A crumbs process whose output goes to a log file, for tests that wait for a line and stop it
/// with SIGINT as a user's Ctrl-C would.
struct LiveRun {
    let process: Process
    let logURL: URL

    var log: String { (try? String(contentsOf: logURL, encoding: .utf8)) ?? "" }

    static func start(_ workspace: ImportWorkspace, _ arguments: [String], keeping capabilities: [String]) throws
        -> LiveRun
    {
        try Unprivileged.handOver(workspace.directory)
        let logURL = workspace.directory.appendingPathComponent("live-\(UUID()).log")
        FileManager.default.createFile(atPath: logURL.path, contents: nil)
        try Unprivileged.handOver(logURL)
        let command = Unprivileged.command(
            ImportSupport.crumbs, arguments + ["--data-dir", workspace.data.path], keeping: capabilities)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: command.executable)
        process.arguments = command.arguments
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = workspace.directory.appendingPathComponent("config").path
        process.environment = environment
        let handle = try FileHandle(forWritingTo: logURL)
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return LiveRun(process: process, logURL: logURL)
    }

    /// Waits (at most 30 s) for `text` in the log.
    func waitFor(_ text: String) throws {
        let deadline = Date().addingTimeInterval(30)
        while !log.contains(text) {
            guard process.isRunning, Date() < deadline else {
                interrupt()
                throw ImportTestError("crumbs never printed \"\(text)\": \(log)")
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
    }

    func interrupt() {
        if process.isRunning { kill(process.processIdentifier, SIGINT) }
    }

    /// Waits (at most 40 s, then kills it) and returns the exit status.
    func waitForExit() -> Int32 {
        let deadline = Date().addingTimeInterval(40)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    /// Sends a capture file's packets out on lo with Debian's tcpreplay.
    static func replay(_ file: URL) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = ["30", "tcpreplay", "--quiet", "-i", "lo", file.path]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ImportTestError("tcpreplay failed (\(process.terminationStatus)); scripts/test installs it")
        }
    }
}
