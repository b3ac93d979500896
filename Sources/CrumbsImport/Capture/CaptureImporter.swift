import CrumbsIngest
import CrumbsModel
import Foundation

/// Reads a capture file through the `CaptureEngine` (the same one live capture uses).
public struct CaptureImporter {
    let builder: EventBuilder
    let options: CaptureEngine.Options
    /// Events are handed over in batches of this many.
    let batchSize: Int

    public init(builder: EventBuilder, options: CaptureEngine.Options = .init(), batchSize: Int = 2_000) {
        self.builder = builder
        self.options = options
        self.batchSize = batchSize
    }

    /// Reads the file to its end, or to where it breaks: what came before a broken part is kept
    /// and the summary's `error` says where it broke.
    public func run(
        source: any ByteSource, name: String, progress: ((Int) -> Void)? = nil,
        deliver: ([RequestEvent]) throws -> Void
    ) throws -> CaptureSummary {
        var reader = try CaptureFileReader(source, name: name)
        var engine = CaptureEngine(builder: builder, options: options)
        var batch: [RequestEvent] = []
        var error: ImportError?
        while true {
            let packet: CapturedPacket?
            do {
                packet = try reader.next()
            } catch let failure as ImportError {
                error = failure
                break
            }
            guard let packet else { break }
            engine.process(packet, into: &batch)
            if batch.count >= batchSize {
                try deliver(batch)
                batch.removeAll(keepingCapacity: true)
                progress?(Int(packet.offset))
            }
        }
        engine.finish(into: &batch)
        if !batch.isEmpty { try deliver(batch) }
        var summary = engine.summary
        summary.format = reader.format.rawValue
        summary.error = error
        return summary
    }
}
