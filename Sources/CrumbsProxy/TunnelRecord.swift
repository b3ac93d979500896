import CrumbsModel
import NIOCore

/// Byte counts and timing for one tunnel; records its event once, when both sides have closed.
final class TunnelRecord {
    private var event: RequestEvent
    private let started: NIODeadline
    private let sink: any EventSink
    private var openSides = 2
    /// For upgraded connections: read the status from the first line the server sends.
    private var sniffStatus: Bool
    private var bytesUp: Int64 = 0
    private var bytesDown: Int64 = 0
    /// When bytes last went either way, for the tunnel's idle timeout.
    private(set) var lastActivity: NIODeadline

    init(event: RequestEvent, started: NIODeadline, sink: any EventSink, sniffStatus: Bool) {
        self.event = event
        self.started = started
        self.sink = sink
        self.sniffStatus = sniffStatus
        self.lastActivity = started
    }

    func noteClientBytes(_ buffer: ByteBuffer) {
        bytesUp += Int64(buffer.readableBytes)
        lastActivity = .now()
    }

    func noteServerBytes(_ buffer: ByteBuffer) {
        bytesDown += Int64(buffer.readableBytes)
        lastActivity = .now()
        guard sniffStatus else { return }
        sniffStatus = false
        // "HTTP/1.1 101 Switching Protocols": the status is the second token of the first line.
        guard let line = buffer.getString(at: buffer.readerIndex, length: min(buffer.readableBytes, 32)) else { return }
        let fields = line.split(separator: " ", maxSplits: 2)
        if fields.count >= 2, let status = Int(fields[1]) { event.status = status }
    }

    func sideClosed() {
        openSides -= 1
        guard openSides == 0 else { return }
        event.bytesUp = bytesUp
        event.bytesDown = bytesDown
        event.duration = Double((NIODeadline.now() - started).nanoseconds) / 1e9
        sink.record(event)
    }
}
