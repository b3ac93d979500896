import CrumbsImport
import CrumbsStore
import Foundation

/// What became of one file, as `crumbs import` prints it.
struct ImportOutcome {
    let fileName: String
    var record: ImportRecord?
    var summary: HARImportSummary?
    var capture: CaptureSummary?
    var tally: ImportTally?
    /// Set when the file had been imported before (nothing was imported this time).
    var previous: ImportRecord?

    init(fileName: String, record: ImportRecord, summary: ImportedSummary, tally: ImportTally) {
        self.fileName = fileName
        self.record = record
        switch summary {
        case .har(let har): self.summary = har
        case .capture(let capture): self.capture = capture
        }
        self.tally = tally
    }

    /// Where a capture file broke (what came before it was imported), if it did.
    var captureError: ImportError? { capture?.error }

    init(fileName: String, previous: ImportRecord) {
        self.fileName = fileName
        self.previous = previous
    }

    func report(dryRun: Bool) -> String {
        if let previous {
            let date = ISO8601DateFormatter().string(from: previous.importedAt)
            return "\(fileName): already imported (import #\(previous.id) on \(date), \(previous.events) events); "
                + "nothing imported"
        }
        if let record, let capture, let tally { return captureReport(record, capture, tally, dryRun: dryRun) }
        guard let record, let summary, let tally else { return "\(fileName): nothing imported" }
        var lines: [String] = []
        let exporter = [
            summary.creator.map { "\($0.name) \($0.version)" }, summary.browser.map { "\($0.name) \($0.version)" },
        ]
        .compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let verb = dryRun ? "would import" : "imported"
        lines.append(
            "\(fileName): \(verb) \(summary.events) events from \(summary.entries) entries, \(summary.pages) pages"
                + (exporter.isEmpty ? "" : " (written by \(exporter.joined(separator: ", ")))")
                + (dryRun ? "" : " as import #\(record.id)"))
        var skipped: [String] = []
        if summary.cached > 0 { skipped.append("\(summary.cached) from the browser's cache") }
        if summary.blocked > 0 { skipped.append("\(summary.blocked) blocked in the browser") }
        if summary.notNetwork > 0 { skipped.append("\(summary.notNetwork) data:/blob:/extension URLs") }
        if summary.rejectedCount > 0 { skipped.append("\(summary.rejectedCount) unusable") }
        if !skipped.isEmpty { lines.append("  skipped: " + skipped.joined(separator: ", ")) }
        for rejected in summary.rejected.prefix(10) {
            lines.append("  entry \(rejected.index): \(rejected.reason)")
        }
        if summary.rejectedCount > 10 { lines.append("  … and \(summary.rejectedCount - 10) more unusable entries") }
        lines.append(
            "  sites: \(tally.sites.count), third parties: \(tally.thirdParties.count), "
                + "trackers: \(tally.trackers.count), companies: \(tally.companies.count)"
                + (tally.companies.isEmpty ? "" : " (\(tally.companies.sorted().prefix(8).joined(separator: ", ")))"))
        if summary.withoutPage > 0 {
            lines.append(
                "  \(summary.withoutPage) entries belong to no page in the file: attributed by Referer, "
                    + "Sec-Fetch-* and order (see each event's method and confidence)")
        }
        if tally.guessed > 0 { lines.append("  \(tally.guessed) events attributed with low confidence (guesses)") }
        if summary.webSockets > 0 { lines.append("  \(summary.webSockets) WebSocket connections (messages not read)") }
        if summary.zonelessTimes > 0 {
            lines.append("  \(summary.zonelessTimes) times without a time zone were read as UTC")
        }
        if summary.pagesAfterEntries {
            lines.append("  the file lists its pages after its entries: entries were attributed without pages")
        }
        if !dryRun { lines.append("  sha256 \(record.sha256)") }
        return lines.joined(separator: "\n")
    }

    func captureReport(_ record: ImportRecord, _ capture: CaptureSummary, _ tally: ImportTally, dryRun: Bool)
        -> String
    {
        let verb = dryRun ? "would import" : "imported"
        var lines = [
            "\(fileName): \(verb) \(capture.events) events from \(capture.packets) packets (\(capture.format))"
                + (dryRun ? "" : " as import #\(record.id)"),
            CaptureReportLines.protocols(capture),
            "  sites: \(tally.sites.count), third parties: \(tally.thirdParties.count), "
                + "trackers: \(tally.trackers.count), companies: \(tally.companies.count)",
        ]
        for finding in tally.cloaked.sorted() { lines.append("  CNAME cloaking: \(finding)") }
        if capture.encryptedHellos > 0 {
            lines.append(
                "  \(capture.encryptedHellos) ClientHellos use Encrypted Client Hello: their server name is the "
                    + "outer one (the name the device looked up is used when the capture has it)")
        }
        if capture.namedFromDNS > 0 {
            lines.append("  \(capture.namedFromDNS) flows named from the device's own DNS answers")
        }
        lines += CaptureReportLines.details(capture)
        if let error = capture.error {
            lines.append("  stopped: \(error) — the \(capture.packets) packets before it were imported")
        }
        if !dryRun { lines.append("  sha256 \(record.sha256)") }
        return lines.joined(separator: "\n")
    }
}
