import CrumbsCapture
import CrumbsImport
import CrumbsModel
import Foundation

/// A live capture feeding an event sink: libpcap's packets through the capture engine (the one
/// capture files go through), on a thread of its own.
// @unchecked: the engine is used by the capture thread until `stop()` has waited for it to end.
final class CaptureRunner: @unchecked Sendable {
    let capture: LiveCapture
    let started = Date()
    private var engine: CaptureEngine
    private let sink: any EventSink
    private let done = DispatchSemaphore(value: 0)
    private let endedStream: AsyncStream<Void>
    private let endedContinuation: AsyncStream<Void>.Continuation
    private var failure: (any Error)?

    init(capture: LiveCapture, engine: CaptureEngine, sink: any EventSink) {
        self.capture = capture
        self.engine = engine
        self.sink = sink
        (endedStream, endedContinuation) = AsyncStream<Void>.makeStream()
    }

    func start() {
        let thread = Thread { [self] in
            var events: [RequestEvent] = []
            do {
                try capture.run { packet in
                    engine.process(packet, into: &events)
                    for event in events { sink.record(event) }
                    events.removeAll(keepingCapacity: true)
                }
            } catch {
                failure = error
            }
            done.signal()
            endedContinuation.yield()
            endedContinuation.finish()
        }
        thread.name = "crumbs.capture"
        thread.start()
    }

    /// Returns when the capture stops by itself (the interface went away).
    func ended() async {
        for await _ in endedStream { return }
    }

    /// Stops, records what the engine still held, and reports.
    func stop() -> (summary: CaptureSummary, statistics: LiveCapture.Statistics?, failure: (any Error)?) {
        capture.stop()
        done.wait()
        let statistics = capture.statistics()
        var events: [RequestEvent] = []
        engine.finish(into: &events)
        for event in events { sink.record(event) }
        var summary = engine.summary
        summary.format = "live"
        return (summary, statistics, failure)
    }
}
