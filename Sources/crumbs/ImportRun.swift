import CrumbsImport
import CrumbsIngest
import CrumbsModel
import CrumbsStore
import Foundation

/// One `crumbs import` invocation's shared parts, and the import of one file: format from the
/// first bytes, one transaction, events through the ingest stage, a tally for the summary.
struct ImportRun {
    let store: EventStore
    let builder: EventBuilder
    let stage: IngestStage
    /// Waits for the lists loading in the background (once): called before the first event is
    /// classified, and at the end of each file.
    let listsReady: () -> Void
    let device: String
    let dryRun: Bool
    let showsProgress: Bool

    func importFile(_ path: String) throws -> ImportOutcome {
        let name = path == "-" ? "standard input" : path
        let displayName = path == "-" ? "-" : URL(fileURLWithPath: path).lastPathComponent
        let file = try FileByteSource(path: path)
        var size: Int?
        if path != "-", let attributes = try? FileManager.default.attributesOfItem(atPath: path) {
            size = (attributes[.size] as? NSNumber)?.intValue
        }
        // Hashed up front only when a file of the same size was imported before: otherwise the
        // hash comes from the import's own read.
        if let size, !dryRun, try store.hasImport(ofSize: size) {
            let hashing = HashingByteSource(try FileByteSource(path: path))
            if let existing = try store.importRecord(sha256: try hashing.finish()) {
                return ImportOutcome(fileName: displayName, previous: existing)
            }
        }
        // A dry run shows no hash and stores nothing: its bytes are not hashed.
        let hashing = HashingByteSource(file, enabled: !dryRun)
        let peeked = try PeekedByteSource(hashing, peeking: RecordingFormat.magicLength)
        var source: any ByteSource = peeked
        var format = RecordingFormat.detect(peeked.head)
        if format == .gzip || format == .zip {
            // What is inside the archive is told from its own first bytes (a HAR or a capture).
            let unpacked: any ByteSource =
                format == .gzip
                ? try InflatingByteSource(peeked, format: .gzip, name: name)
                : try ZipEntryByteSource(peeked, name: name)
            let inner = try PeekedByteSource(unpacked, peeking: RecordingFormat.magicLength)
            format = RecordingFormat.detect(inner.head)
            source = inner
        }
        let isCapture = format == .pcap || format == .pcapng
        let harImporter = HARImporter(builder: builder, client: device)
        let captureImporter = CaptureImporter(builder: builder)
        var tally = ImportTally()
        let progress = showsProgress ? ImportProgress(name: displayName) : nil
        defer { progress?.clear() }
        // A placeholder hash until the file is read through; the real one is set at the end,
        // where the store's uniqueness check turns a second import into "already imported".
        let draft = ImportRecord(
            fileName: displayName, sha256: "pending-" + UUID().uuidString, size: size ?? 0,
            format: isCapture ? format.rawValue : "har",
            device: stage.policy.storedClient(device), importedAt: Date())
        var summary = ImportedSummary.har(HARImportSummary())
        let record: ImportRecord
        do {
            record = try store.recordImport(draft) { appender in
                // Two cores, two halves: a reader thread parses the HAR and builds events while
                // this thread (the store's writer) classifies and inserts the previous batch.
                // A capture's events are sparse (one per dozens of packets): more batches may
                // wait, so that reading runs on while the lists finish loading.
                let channel = BatchChannel<[RequestEvent]>(capacity: isCapture ? 16 : 2)
                let reader = ReaderThread { () throws -> ImportedSummary in
                    do {
                        let report = progress.map { progress in { (bytes: Int) in progress.update(bytes: bytes) } }
                        let summary: ImportedSummary =
                            isCapture
                            ? .capture(
                                try captureImporter.run(source: source, name: name, progress: report) {
                                    try channel.put($0)
                                })
                            : .har(
                                try harImporter.run(source: source, name: name, progress: report) {
                                    try channel.put($0)
                                })
                        channel.finish()
                        return summary
                    } catch {
                        channel.finish(error: error)
                        throw error
                    }
                }
                reader.start()
                do {
                    while let batch = try channel.take() {
                        listsReady()
                        let events = stage.process(batch)
                        tally.add(events, siteOfHost: builder.site(ofHost:))
                        if !dryRun { try appender.append(events) }
                    }
                } catch {
                    // The reader stops at its next batch; its own error, if any, is the same one.
                    channel.cancel()
                    _ = try? reader.wait()
                    throw error
                }
                summary = try reader.wait()
                var record = draft
                let sha256 = try hashing.finish()
                // A dry run's record keeps its unique placeholder (it shows no hash).
                if !dryRun { record.sha256 = sha256 }
                record.size = hashing.count
                switch summary {
                case .har(let har):
                    record.exporter = har.creator?.name
                    record.exporterVersion = har.creator?.version
                    record.browser = har.browser.map { "\($0.name) \($0.version)" }
                    record.entries = har.entries
                    record.events = har.events
                    record.skipped = har.entries - har.events
                    record.pages = har.pages
                case .capture(let capture):
                    record.entries = capture.packets
                    record.events = capture.events
                    record.skipped = capture.packets - capture.events
                }
                if !dryRun, let existing = try appender.otherImport(sha256: record.sha256) {
                    throw AlreadyImported(record: existing)
                }
                return record
            }
        } catch let already as AlreadyImported {
            return ImportOutcome(fileName: displayName, previous: already.record)
        }
        return ImportOutcome(fileName: displayName, record: record, summary: summary, tally: tally)
    }
}

/// What the reader of one file reports: a HAR's or a capture's summary.
enum ImportedSummary {
    case har(HARImportSummary)
    case capture(CaptureSummary)
}

/// Thrown inside the import's transaction to roll it back: the file was imported before.
struct AlreadyImported: Error {
    let record: ImportRecord
}
