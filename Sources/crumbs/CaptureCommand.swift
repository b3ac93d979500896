import ArgumentParser
import CrumbsCapture
import CrumbsImport
import CrumbsIngest
import CrumbsLists
import CrumbsModel
import CrumbsService
import CrumbsStore
import Foundation
import Logging

/// `crumbs capture`: passive capture on an interface — the devices that cannot use a proxy
/// (apps, TVs, consoles) — into the same store and reports as the proxy's traffic.
struct CaptureCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "capture",
        abstract: "Capture DNS, TLS/QUIC server names and plain HTTP on a network interface.",
        discussion: """
            Nothing is decrypted (but QUIC Initial packets, whose keys anyone can derive) and no \
            payload beyond those headers is kept. Needs CAP_NET_RAW and CAP_NET_ADMIN (or root). \
            Stop with Ctrl-C: everything seen is recorded and libpcap's counters printed and stored.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var listOptions: ListOptions
    @OptionGroup var captureOptions: CaptureOptions
    @OptionGroup var privacy: PrivacyOptions

    @Option(name: [.short, .customLong("interface")], help: "The interface to capture on (eth0, wlan0, any…).")
    var interface: String?

    @Flag(name: .customLong("list-interfaces"), help: "List the interfaces and exit.")
    var listInterfaces = false

    @Flag(name: .customLong("keep-query"), help: "Record query strings of plain HTTP requests.")
    var keepQuery = false

    func validate() throws {
        if !listInterfaces && interface == nil {
            throw ValidationError("say which interface: --interface NAME (see --list-interfaces)")
        }
    }

    func run() async throws {
        if listInterfaces {
            try CLIError.reporting {
                do {
                    print(try Self.interfaceTable())
                } catch let error as LiveCaptureError {
                    throw CLIError(error.description)
                }
            }
            return
        }
        guard let interface else { return }
        let capture = try CaptureOptions.open(captureOptions.settings(interface: interface), command: "capture")
        try await CLIError.reportingAsync { try await record(capture, interface: interface) }
    }

    private func record(_ capture: LiveCapture, interface: String) async throws {
        let config = try global.loadConfig()
        _ = try global.bootstrapLogging(config: config)
        let logger = Logger(label: "crumbs")
        let dataDirectory = try global.resolvedDataDirectory(config: config)
        for notice in try DataDirectory.prepare(dataDirectory) { logger.warning("\(notice)") }
        let secret = try InstallSecret.load(dataDirectory: dataDirectory, logger: logger)
        let catalog = try listOptions.catalog(config: config, dataDirectory: dataDirectory)
        let classifier = EventClassifier(lists: RunCommand.loadLists(catalog, logger: logger))
        let policy = try privacy.policy(config: config, secret: secret, resolver: classifier.lists.publicSuffixes)
        let databasePath = dataDirectory + "/crumbs.sqlite"
        let writer = try StoreWriter(
            path: databasePath, stage: IngestStage(classifier: classifier, policy: policy),
            logger: Logger(label: "crumbs.store"))
        let recorder = EventRecorder(
            write: { try writer.write($0) }, capacityBytes: 64 << 20, logger: Logger(label: "crumbs.recorder"))
        let builder = EventBuilder(
            siteResolver: classifier.lists.publicSuffixes,
            keepQuery: try keepQuery || (config.bool("keep-query") ?? false), hasher: CookieHasher(secret: secret))
        let runner = CaptureRunner(
            capture: capture,
            engine: CaptureEngine(builder: builder, options: .init(deviceIdentity: captureOptions.deviceIdentity)),
            sink: recorder)
        let signals = SignalWaiter()
        runner.start()
        FileHandle.standardOutput.write(
            Data(
                ("crumbs capturing on \(interface) (link type \(capture.linkType))"
                    + (captureOptions.filter.map { ", filter \"\($0)\"" } ?? "") + "; recording to \(databasePath) "
                    + "[record \(policy.record.rawValue), clients \(policy.clients.rawValue)]\n").utf8))
        await withTaskGroup(of: Void.self) { group in
            group.addTask { _ = await signals.next() }
            group.addTask { await runner.ended() }
            await group.next()
            group.cancelAll()
        }
        let (summary, statistics, failure) = runner.stop()
        let complete = recorder.shutdown(timeout: .seconds(30))
        try writer.store.recordCaptureSession(
            CaptureSessionRecord(
                interface: interface, filter: captureOptions.filter, started: runner.started, ended: Date(),
                received: statistics?.received ?? 0, droppedByKernel: statistics?.droppedByKernel ?? 0,
                droppedByInterface: statistics?.droppedByInterface ?? 0, packetsRead: summary.packets,
                events: summary.events))
        print(
            CaptureOptions.report(
                interface: interface, summary: summary, statistics: statistics, written: recorder.writtenCount))
        if !complete || recorder.droppedCount > 0 {
            throw CLIError("\(recorder.pendingCount + recorder.droppedCount) events could not be recorded")
        }
        if let failure { throw CLIError("the capture stopped: \(failure)") }
    }

    /// Name, state and addresses of every interface.
    static func interfaceTable() throws -> String {
        let interfaces = try CaptureInterface.all()
        guard !interfaces.isEmpty else {
            return "no interfaces found (listing some needs CAP_NET_ADMIN, or root)"
        }
        return interfaces.map { interface in
            let state = [
                interface.isUp ? "up" : "down", interface.isRunning ? "running" : nil,
                interface.isLoopback ? "loopback" : nil, interface.isWireless ? "wireless" : nil,
            ].compactMap { $0 }.joined(separator: ", ")
            let addresses = interface.addresses.isEmpty ? "" : "  " + interface.addresses.joined(separator: " ")
            let description = interface.description.map { " — \($0)" } ?? ""
            return "\(interface.name) (\(state))\(description)\(addresses)"
        }.joined(separator: "\n")
    }
}

extension CLIError {
    /// `reporting` for async bodies.
    static func reportingAsync(_ body: () async throws -> Void) async throws {
        do {
            try await body()
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("crumbs: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }
}
