import Foundation
import GRDB

/// One live capture: the interface, its filter, how long it ran, and libpcap's counters.
public struct CaptureSessionRecord: Sendable, Equatable {
    public var id: Int64 = 0
    public var interface: String
    public var filter: String?
    public var started: Date
    public var ended: Date
    /// Packets the kernel passed to the capture.
    public var received: UInt64
    /// Dropped by the kernel because Crumbs did not keep up.
    public var droppedByKernel: UInt64
    public var droppedByInterface: UInt64
    /// Packets Crumbs read.
    public var packetsRead: Int
    public var events: Int

    public init(
        interface: String, filter: String?, started: Date, ended: Date, received: UInt64, droppedByKernel: UInt64,
        droppedByInterface: UInt64, packetsRead: Int, events: Int
    ) {
        self.interface = interface
        self.filter = filter
        self.started = started
        self.ended = ended
        self.received = received
        self.droppedByKernel = droppedByKernel
        self.droppedByInterface = droppedByInterface
        self.packetsRead = packetsRead
        self.events = events
    }
}

extension EventStore {
    /// Records a finished live capture; returns its id.
    @discardableResult
    public func recordCaptureSession(_ session: CaptureSessionRecord) throws -> Int64 {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO capture_session (interface, filter, started, ended, received, dropped_kernel,
                        dropped_interface, packets_read, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    session.interface, session.filter, session.started.timeIntervalSince1970,
                    session.ended.timeIntervalSince1970, Int64(clamping: session.received),
                    Int64(clamping: session.droppedByKernel), Int64(clamping: session.droppedByInterface),
                    session.packetsRead, session.events,
                ])
            return db.lastInsertedRowID
        }
    }

    /// Every recorded live capture, oldest first.
    public func captureSessions() throws -> [CaptureSessionRecord] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, interface, filter, started, ended, received, dropped_kernel, dropped_interface,
                        packets_read, events FROM capture_session ORDER BY id
                    """
            ).map { row in
                var record = CaptureSessionRecord(
                    interface: row[1], filter: row[2], started: Date(timeIntervalSince1970: row[3]),
                    ended: Date(timeIntervalSince1970: row[4]), received: UInt64(row[5] as Int64),
                    droppedByKernel: UInt64(row[6] as Int64), droppedByInterface: UInt64(row[7] as Int64),
                    packetsRead: row[8], events: row[9])
                record.id = row[0]
                return record
            }
        }
    }
}
