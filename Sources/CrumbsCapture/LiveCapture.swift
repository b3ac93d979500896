import CPcap
import CrumbsImport
import Foundation
import Synchronization

/// Live capture on one interface through libpcap: packets are handed to `handler` on the thread
/// that calls `run`, until `stop()` (callable from any thread: libpcap's `pcap_breakloop` is).
// @unchecked: the handle is used by the capturing thread only, except for `pcap_breakloop` and
// `pcap_stats`, which libpcap allows from another thread.
public final class LiveCapture: @unchecked Sendable {
    public struct Statistics: Sendable, Equatable {
        /// Packets the kernel passed to the capture (after the filter).
        public var received: UInt64
        /// Dropped by the kernel: the capture did not keep up (buffer full).
        public var droppedByKernel: UInt64
        /// Dropped by the interface or its driver.
        public var droppedByInterface: UInt64
    }

    public struct Settings: Sendable {
        public var interface: String
        public var filter: String?
        public var snapshotLength: Int
        public var promiscuous: Bool
        /// The kernel's buffer: large enough for bursts while the engine is busy.
        public var bufferBytes: Int

        public init(
            interface: String, filter: String? = nil, snapshotLength: Int = 262_144, promiscuous: Bool = false,
            bufferBytes: Int = 32 << 20
        ) {
            self.interface = interface
            self.filter = filter
            self.snapshotLength = snapshotLength
            self.promiscuous = promiscuous
            self.bufferBytes = bufferBytes
        }
    }

    public let settings: Settings
    /// LINKTYPE_ of the interface (what the capture engine decodes).
    public let linkType: Int
    private let handle: OpaquePointer
    private let stopped = Atomic<Bool>(false)
    /// Whether libpcap gives nanoseconds (asked for; not every capture source has them).
    private let nanoseconds: Bool

    /// Opens and activates the capture; throws `permissionDenied` without the capabilities.
    public init(_ settings: Settings) throws {
        self.settings = settings
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        guard let handle = pcap_create(settings.interface, &errorBuffer) else {
            throw LiveCaptureError.failed(LiveCaptureError.text(errorBuffer))
        }
        pcap_set_snaplen(handle, Int32(settings.snapshotLength))
        pcap_set_promisc(handle, settings.promiscuous ? 1 : 0)
        // Packets as they come (not held for a full buffer), and a wake-up every 200 ms to see
        // whether to stop.
        pcap_set_immediate_mode(handle, 1)
        pcap_set_timeout(handle, 200)
        pcap_set_buffer_size(handle, Int32(settings.bufferBytes))
        _ = pcap_set_tstamp_precision(handle, Int32(PCAP_TSTAMP_PRECISION_NANO))
        let status = pcap_activate(handle)
        if status < 0 {
            let detail = String(cString: pcap_geterr(handle))
            pcap_close(handle)
            switch status {
            case PCAP_ERROR_PERM_DENIED, PCAP_ERROR_PROMISC_PERM_DENIED:
                throw LiveCaptureError.permissionDenied(interface: settings.interface, detail: detail)
            case PCAP_ERROR_NO_SUCH_DEVICE:
                throw LiveCaptureError.noSuchInterface(settings.interface)
            default:
                // Older kernels report a missing capability as a plain socket error.
                if detail.contains("Operation not permitted") || detail.contains("Permission denied") {
                    throw LiveCaptureError.permissionDenied(interface: settings.interface, detail: detail)
                }
                throw LiveCaptureError.failed(detail.isEmpty ? "pcap_activate returned \(status)" : detail)
            }
        }
        if let filter = settings.filter, !filter.isEmpty {
            var program = bpf_program()
            guard pcap_compile(handle, &program, filter, 1, PCAP_NETMASK_UNKNOWN) == 0 else {
                let detail = String(cString: pcap_geterr(handle))
                pcap_close(handle)
                throw LiveCaptureError.badFilter(filter: filter, detail: detail)
            }
            defer { pcap_freecode(&program) }
            guard pcap_setfilter(handle, &program) == 0 else {
                let detail = String(cString: pcap_geterr(handle))
                pcap_close(handle)
                throw LiveCaptureError.badFilter(filter: filter, detail: detail)
            }
        }
        // Only now owned by this object (and closed by deinit): every failure above closed it.
        self.handle = handle
        linkType = Int(pcap_datalink(handle))
        nanoseconds = pcap_get_tstamp_precision(handle) == Int32(PCAP_TSTAMP_PRECISION_NANO)
    }

    deinit {
        pcap_close(handle)
    }

    /// Captures until `stop()`; every packet goes to `handler`, on this thread. Throws when
    /// the interface goes away or libpcap fails.
    public func run(_ handler: (CapturedPacket) -> Void) throws {
        try withoutActuallyEscaping(handler) { handler in
            let context = Context(handler: handler, linkType: linkType, nanoseconds: nanoseconds)
            let user = Unmanaged.passUnretained(context).toOpaque().assumingMemoryBound(to: UInt8.self)
            while !stopped.load(ordering: .acquiring) {
                let count = pcap_dispatch(
                    handle, -1,
                    { user, header, bytes in
                        guard let user, let header, let bytes else { return }
                        let context = Unmanaged<Context>.fromOpaque(UnsafeRawPointer(user)).takeUnretainedValue()
                        context.deliver(header.pointee, bytes)
                    }, user)
                if count == PCAP_ERROR_BREAK { break }
                if count < 0 { throw LiveCaptureError.failed(String(cString: pcap_geterr(handle))) }
            }
        }
    }

    /// Makes `run` return after the packet in hand.
    public func stop() {
        stopped.store(true, ordering: .releasing)
        pcap_breakloop(handle)
    }

    /// The kernel's counters for this capture so far.
    public func statistics() -> Statistics? {
        var stats = pcap_stat()
        guard pcap_stats(handle, &stats) == 0 else { return nil }
        return Statistics(
            received: UInt64(stats.ps_recv), droppedByKernel: UInt64(stats.ps_drop),
            droppedByInterface: UInt64(stats.ps_ifdrop))
    }

    /// The callback's way back to Swift: the handler and a packet counter.
    private final class Context {
        let handler: (CapturedPacket) -> Void
        let linkType: Int
        let fractionUnit: TimeInterval
        var number = 0

        init(handler: @escaping (CapturedPacket) -> Void, linkType: Int, nanoseconds: Bool) {
            self.handler = handler
            self.linkType = linkType
            fractionUnit = nanoseconds ? 1e-9 : 1e-6
        }

        func deliver(_ header: pcap_pkthdr, _ bytes: UnsafePointer<UInt8>) {
            number += 1
            // With nanosecond precision, tv_usec holds nanoseconds.
            let time = Date(
                timeIntervalSince1970: TimeInterval(header.ts.tv_sec) + TimeInterval(header.ts.tv_usec) * fractionUnit)
            handler(
                CapturedPacket(
                    number: number, offset: 0, time: time, linkType: linkType,
                    bytes: Array(UnsafeBufferPointer(start: bytes, count: Int(header.caplen))),
                    originalLength: Int(header.len)))
        }
    }
}
