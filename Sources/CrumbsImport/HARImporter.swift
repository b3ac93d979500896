import CrumbsIngest
import CrumbsModel
import Foundation

/// Turns a HAR recording into the proxy's events, through the same `EventBuilder` (so the same
/// privacy reduction) with `source = har`, streaming: events leave in batches as entries are
/// read, and memory holds one chunk of the file, one batch and the open redirect chains.
public final class HARImporter {
    public let builder: EventBuilder
    /// The events' client: the device the recording was made on (`--device`), or "har".
    public let client: String
    public let batchSize: Int

    public init(builder: EventBuilder, client: String, batchSize: Int = 4096) {
        self.builder = builder
        self.client = client
        self.batchSize = batchSize
    }

    /// Reads the HAR in `source`, handing events (built, not yet classified) to `deliver` in
    /// batches, and `progress` the bytes read so far now and then.
    public func run(
        source: any ByteSource, name: String, progress: ((Int) -> Void)? = nil,
        deliver: ([RequestEvent]) throws -> Void
    ) throws -> HARImportSummary {
        let reader = HARReader(stream: JSONStream(source: source, name: name))
        var summary = HARImportSummary()
        var resolver: HARPageResolver?
        var batch: [RequestEvent] = []
        batch.reserveCapacity(batchSize)
        var lastProgress = 0
        try reader.read(
            beforeEntries: { log in
                resolver = HARPageResolver(pages: log.pages, siteOfHost: builder.site(ofHost:))
            },
            entry: { entry in
                summary.entries += 1
                guard let event = try convert(entry, summary: &summary) else { return }
                if let pageref = entry.pageref, !pageref.isEmpty {
                    let isDocument = isDocument(entry, event)
                    resolver!.place(
                        event, pageref: pageref, isDocument: isDocument, redirectHost: redirectHost(entry),
                        into: &batch)
                } else {
                    summary.withoutPage += 1
                    batch.append(event)
                }
                if batch.count >= batchSize {
                    summary.events += batch.count
                    try deliver(batch)
                    batch.removeAll(keepingCapacity: true)
                    if let progress, reader.bytesRead - lastProgress >= 1 << 22 {
                        lastProgress = reader.bytesRead
                        progress(lastProgress)
                    }
                }
            })
        batch += resolver?.finish() ?? []
        summary.events += batch.count
        if !batch.isEmpty { try deliver(batch) }
        summary.creator = reader.log.creator
        summary.browser = reader.log.browser
        summary.pages = reader.log.pages.count
        summary.pagesAfterEntries = reader.log.pagesAfterEntries
        summary.bytes = reader.bytesRead
        progress?(reader.bytesRead)
        return summary
    }

    /// The page's own document, as far as the entry tells: its resource type or fetch metadata,
    /// else an HTML response.
    private func isDocument(_ entry: HAREntry, _ event: RequestEvent) -> Bool {
        if let type = entry.resourceType { return type == "document" && event.secFetchDest?.lowercased() != "iframe" }
        if let dest = event.secFetchDest?.lowercased() { return dest == "document" }
        return event.contentType == "text/html" || event.contentType == "application/xhtml+xml"
    }

    /// Where a redirect hop pointed: its Location header, else the HAR's `redirectURL`.
    private func redirectHost(_ entry: HAREntry) -> String? {
        guard (300..<400).contains(entry.status ?? 0) else { return nil }
        let location = entry.responseHeaders.first { $0.name.lowercased() == "location" }?.value
        return (location ?? entry.redirectURL).flatMap(URLHost.host(ofURL:))
    }
}
