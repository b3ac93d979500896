import ArgumentParser
import CrumbsCA
import CrumbsCapture
import CrumbsDashboard
import CrumbsImport
import CrumbsIngest
import CrumbsLists
import CrumbsModel
import CrumbsProxy
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation
import Logging
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#endif

/// `crumbs run`: the proxy, recording every request and tunnel into the store.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run the proxy and record what your browser talks to."
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var options: RunOptions
    @OptionGroup var listOptions: ListOptions
    @OptionGroup var captureOptions: CaptureOptions

    @Option(
        name: .customLong("capture"),
        help: ArgumentHelp(
            "Also capture on this interface (devices that do not use the proxy).",
            discussion: "Traffic to, from or through this machine is left to the proxy: nothing is counted twice."))
    var captureInterface: String?

    func run() async throws {
        do {
            try await serve()
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("crumbs: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }

    private func serve() async throws {
        let config = try global.loadConfig()
        _ = try global.bootstrapLogging(config: config)
        let logger = Logger(label: "crumbs")
        var proxyConfiguration = try options.proxyConfiguration(config: config)
        let interception = try options.interceptionRequest(config: config)
        let dataDirectory = try global.resolvedDataDirectory(config: config)
        for notice in try DataDirectory.prepare(dataDirectory) { logger.warning("\(notice)") }
        let secret = try InstallSecret.load(dataDirectory: dataDirectory, logger: logger)
        let pidFile = try PidFile(dataDirectory: dataDirectory)
        defer { pidFile.remove() }
        let dashboardAddress = try DashboardRunner.address(options.dashboard ?? config.string("dashboard"))
        // Opened first: without the capabilities, say so before anything starts.
        let capture = try captureInterface.map {
            try CaptureOptions.open(captureOptions.settings(interface: $0), command: "command")
        }
        do {
            proxyConfiguration.interception = try interception?.settings(dataDirectory: dataDirectory) {
                FileHandle.standardOutput.write(Data(($0 + "\n").utf8))
            }
        } catch let error where interception?.mode == .auto {
            // Auto is the default: a local CA that cannot be read must not keep the proxy from
            // running. It runs without interception, says why, and `crumbs ca` can repair it.
            logger.warning(
                "interception off: the local CA could not be loaded (see `crumbs ca show`)",
                metadata: ["error": "\(error)"])
        }
        // Without --intercept an existing CA is still offered at http://crumbs.internal/.
        proxyConfiguration.authorityCertificate = try? CAStore(dataDirectory: dataDirectory).loadCertificate()
        let databasePath = dataDirectory + "/crumbs.sqlite"
        let catalog = try listOptions.catalog(config: config, dataDirectory: dataDirectory)
        let listsInUse = ListsInUse()
        let classifier = EventClassifier(lists: Self.loadLists(catalog, logger: logger, inUse: listsInUse))
        // SIGHUP and the dashboard's button reload the same way.
        let reloadLists: @Sendable () -> Void = {
            logger.info("reloading lists")
            classifier.reload(Self.loadLists(catalog, logger: logger, inUse: listsInUse))
            Self.releaseFreedMemory()
        }
        Self.releaseFreedMemory()
        let policy = try options.privacy.policy(
            config: config, secret: secret, resolver: classifier.lists.publicSuffixes)
        let retention = try options.retention(config: config)
        proxyConfiguration.recording = RecordingLevels(
            record: policy.record.rawValue, clients: policy.clients.rawValue, retentionDays: retention.days)
        // What the recorder writes, for the dashboard's live page.
        let liveFeed = LiveFeed()
        let storeWriter: StoreWriter
        do {
            // If the data directory is removed while we run, the new database gets its directory,
            // key and pid file back: without the key, the hashes in it could not be compared.
            storeWriter = try StoreWriter(
                path: databasePath, stage: IngestStage(classifier: classifier, policy: policy),
                logger: Logger(label: "crumbs.store"),
                beforeNewDatabase: {
                    _ = try DataDirectory.prepare(dataDirectory)
                    try InstallSecret.restore(secret, dataDirectory: dataDirectory)
                    try pidFile.restore()
                }, written: { liveFeed.publish($0) })
        } catch {
            throw CLIError("\(error)")
        }
        let recorder = EventRecorder(
            write: { try storeWriter.write($0) }, capacityBytes: try options.queueBytes(config: config),
            logger: Logger(label: "crumbs.recorder"), releaseMemory: { Self.releaseFreedMemory() })
        let siteResolver = classifier.lists.publicSuffixes
        // The scheduler reads through the recorder's store: one connection pool for the file.
        var digestScheduler = try options.digestScheduler(
            config: config, dataDirectory: dataDirectory, store: { storeWriter.store }, resolver: siteResolver)
        digestScheduler?.recording = Digest.Recording(
            record: policy.record.rawValue, clients: policy.clients.rawValue, retentionDays: retention.days)
        let reloads = SignalWaiter(signals: [SIGHUP])
        let reloading = Task.detached {
            for await _ in reloads.stream { reloadLists() }
        }
        let signals = SignalWaiter()
        // A full file system or file size limit must surface as a write error the recorder can
        // report and retry, not as SIGXFSZ killing the proxy.
        signal(SIGXFSZ, SIG_IGN)

        let dashboard =
            try await dashboardAddress.asyncMap {
                try await DashboardRunner.start(
                    $0, feed: liveFeed,
                    data: StoreDashboardData(
                        store: { storeWriter.store }, digestDirectory: dataDirectory + "/digests",
                        resolver: { siteResolver },
                        recordingLevels: Digest.Recording(
                            record: policy.record.rawValue, clients: policy.clients.rawValue,
                            retentionDays: retention.days),
                        listsInUse: listsInUse, reload: reloadLists,
                        authority: proxyConfiguration.authorityCertificate.map {
                            DashboardCertificate(sha256Fingerprint: $0.sha256Fingerprint, notAfter: $0.notValidAfter)
                        }),
                    formToken: CookieHasher(secret: secret).hash("crumbs dashboard forms"),
                    logger: Self.dashboardLogger)
            } ?? nil
        // http://crumbs.internal/ through the proxy is the dashboard.
        proxyConfiguration.dashboardPort = dashboard?.port
        let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
        let server = try ProxyServer(
            configuration: proxyConfiguration,
            sink: recorder,
            events: EventBuilder(
                siteResolver: siteResolver, keepQuery: proxyConfiguration.keepQuery,
                hasher: CookieHasher(secret: secret)),
            logger: Logger(label: "crumbs.proxy"),
            group: group
        )
        let address: SocketAddress
        do {
            address = try await server.start()
        } catch {
            try? await group.shutdownGracefully()
            liveFeed.finish()
            await dashboard?.stop()
            throw CLIError(
                "cannot listen on \(proxyConfiguration.listenHost):\(proxyConfiguration.listenPort): \(error)")
        }
        var banner = Banner(
            address: address, databasePath: databasePath, configuration: proxyConfiguration, policy: policy,
            retention: retention)
        banner.dashboard = dashboard?.url
        // Written unbuffered: whoever started us (a script, a test) may be waiting for this line.
        FileHandle.standardOutput.write(Data((banner.text + "\n").utf8))
        let housekeeper = Housekeeper(
            digests: digestScheduler, retention: retention, store: { storeWriter.store },
            digestDirectory: dataDirectory + "/digests", logger: Logger(label: "crumbs.housekeeping"))
        let chores = housekeeper.start()
        let captureRunner = capture.map { capture in
            let runner = CaptureRunner(
                capture: capture,
                engine: CaptureEngine(
                    builder: EventBuilder(
                        siteResolver: siteResolver, keepQuery: proxyConfiguration.keepQuery,
                        hasher: CookieHasher(secret: secret)),
                    options: .init(
                        deviceIdentity: captureOptions.deviceIdentity, excludedAddresses: Self.thisMachine())),
                sink: recorder)
            runner.start()
            return runner
        }
        let received = await signals.next()
        logger.info("stopping", metadata: ["signal": "\(received)"])
        if let captureRunner, let interface = captureInterface {
            let (summary, statistics, failure) = captureRunner.stop()
            if let failure { logger.error("the capture had stopped", metadata: ["error": "\(failure)"]) }
            FileHandle.standardOutput.write(
                Data(
                    (CaptureOptions.report(interface: interface, summary: summary, statistics: statistics, written: nil)
                        + "\n").utf8))
            do {
                try storeWriter.store.recordCaptureSession(
                    CaptureSessionRecord(
                        interface: interface, filter: captureOptions.filter, started: captureRunner.started,
                        ended: Date(), received: statistics?.received ?? 0,
                        droppedByKernel: statistics?.droppedByKernel ?? 0,
                        droppedByInterface: statistics?.droppedByInterface ?? 0, packetsRead: summary.packets,
                        events: summary.events))
            } catch {
                logger.error("capture statistics not stored", metadata: ["error": "\(error)"])
            }
        }
        // Connections finish what they are serving first, so their events reach the recorder
        // before it stops taking events.
        await server.stop()
        liveFeed.finish()
        await dashboard?.stop()
        let complete = recorder.shutdown(timeout: .seconds(10))
        reloading.cancel()
        chores.cancel()
        try? await group.shutdownGracefully()
        let lost = (
            pending: recorder.pendingCount, dropped: recorder.droppedCount,
            late: recorder.refusedAfterShutdownCount
        )
        if !complete || lost.dropped > 0 || lost.late > 0 {
            logger.error(
                "some events were not recorded",
                metadata: [
                    "events.unwritten": "\(lost.pending)", "events.dropped.queue_full": "\(lost.dropped)",
                    "events.after_stop": "\(lost.late)",
                ])
        }
        logger.info("stopped", metadata: ["events.written": "\(recorder.writtenCount)"])
    }
}

extension RunCommand {
    /// Hummingbird's own start line would repeat the banner's (and look like the proxy's
    /// "listening on" to whoever reads the log): warnings and errors only.
    static var dashboardLogger: Logger {
        var logger = Logger(label: "crumbs.dashboard")
        if logger.logLevel < .warning { logger.logLevel = .warning }
        return logger
    }

    /// This machine's addresses: packets to or from them are the proxy's (its clients, its
    /// upstream connections and lookups) or this machine's own, never a device's around it.
    static func thisMachine() -> Set<String> {
        Set((try? CaptureInterface.all())?.flatMap(\.addresses) ?? []).union(["127.0.0.1", "::1"])
    }

    /// Gives the memory freed after loading lists back to the system. Parsing the lists'
    /// text leaves megabytes of freed blocks that glibc keeps for later (measured: 6 MiB of a
    /// 57 MiB idle footprint with Debian's lists), and a proxy that idles most of the day should
    /// not hold them.
    static func releaseFreedMemory() {
        #if canImport(Glibc)
            // malloc.h is not part of the Glibc module; the symbol is looked up instead.
            typealias MallocTrim = @convention(c) (Int) -> Int32
            if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
                _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
            }
        #endif
    }

    /// Loads every list; problems are warnings, never fatal (the proxy runs with what loaded).
    static func loadLists(_ catalog: ListCatalog, logger: Logger, inUse: ListsInUse? = nil) -> LoadedLists {
        let started = ContinuousClock.now
        let (lists, entries, warnings) = catalog.load()
        inUse?.update(entries, warnings: warnings)
        for warning in warnings { logger.warning("list not loaded", metadata: ["reason": "\(warning)"]) }
        logger.info(
            "lists loaded",
            metadata: [
                "lists": "\(entries.map(\.name).joined(separator: ", "))",
                "duration.ms": "\(Int((ContinuousClock.now - started) / .milliseconds(1)))",
            ])
        return lists
    }
}
