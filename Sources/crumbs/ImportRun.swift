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
        let hashing = HashingByteSource(file)
        let peeked = try PeekedByteSource(hashing, peeking: RecordingFormat.magicLength)
        let source: any ByteSource
        switch RecordingFormat.detect(peeked.head) {
        case .json: source = peeked
        case .gzip: source = try InflatingByteSource(peeked, format: .gzip, name: name)
        case .zip: source = try ZipEntryByteSource(peeked, name: name)
        case .pcap, .pcapng:
            throw ImportError(file: name, .unknownFormat("a packet capture: capture files are not read yet, only HAR"))
        }
        let importer = HARImporter(builder: builder, client: device)
        var tally = ImportTally()
        let progress = showsProgress ? ImportProgress(name: displayName) : nil
        defer { progress?.clear() }
        // A placeholder hash until the file is read through; the real one is set at the end,
        // where the store's uniqueness check turns a second import into "already imported".
        let draft = ImportRecord(
            fileName: displayName, sha256: "pending-" + UUID().uuidString, size: size ?? 0, format: "har",
            device: stage.policy.storedClient(device), importedAt: Date())
        var summary = HARImportSummary()
        let record: ImportRecord
        do {
            record = try store.recordImport(draft) { appender in
                // Two cores, two halves: a reader thread parses the HAR and builds events while
                // this thread (the store's writer) classifies and inserts the previous batch.
                let channel = BatchChannel<[RequestEvent]>(capacity: 2)
                let reader = ReaderThread { () throws -> HARImportSummary in
                    do {
                        let summary = try importer.run(
                            source: source, name: name,
                            progress: progress.map { progress in { progress.update(bytes: $0) } }
                        ) { try channel.put($0) }
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
                record.sha256 = try hashing.finish()
                record.size = hashing.count
                record.exporter = summary.creator?.name
                record.exporterVersion = summary.creator?.version
                record.browser = summary.browser.map { "\($0.name) \($0.version)" }
                record.entries = summary.entries
                record.events = summary.events
                record.skipped = summary.entries - summary.events
                record.pages = summary.pages
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

/// Thrown inside the import's transaction to roll it back: the file was imported before.
struct AlreadyImported: Error {
    let record: ImportRecord
}
