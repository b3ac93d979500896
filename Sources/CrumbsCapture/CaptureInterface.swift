import CPcap

/// A network interface libpcap can capture on.
public struct CaptureInterface: Sendable, Equatable {
    public var name: String
    public var description: String?
    public var addresses: [String]
    public var isUp: Bool
    public var isRunning: Bool
    public var isLoopback: Bool
    public var isWireless: Bool

    /// Every interface libpcap knows (some need capabilities to be listed at all).
    public static func all() throws -> [CaptureInterface] {
        var errorBuffer = [CChar](repeating: 0, count: Int(PCAP_ERRBUF_SIZE))
        var first: UnsafeMutablePointer<pcap_if_t>?
        guard pcap_findalldevs(&first, &errorBuffer) == 0 else {
            throw LiveCaptureError.failed(LiveCaptureError.text(errorBuffer))
        }
        defer { pcap_freealldevs(first) }
        var interfaces: [CaptureInterface] = []
        var cursor = first
        while let device = cursor?.pointee {
            let flags = device.flags
            interfaces.append(
                CaptureInterface(
                    name: String(cString: device.name), description: device.description.map { String(cString: $0) },
                    addresses: addresses(device.addresses), isUp: flags & UInt32(PCAP_IF_UP) != 0,
                    isRunning: flags & UInt32(PCAP_IF_RUNNING) != 0,
                    isLoopback: flags & UInt32(PCAP_IF_LOOPBACK) != 0,
                    isWireless: flags & UInt32(PCAP_IF_WIRELESS) != 0))
            cursor = device.next
        }
        return interfaces
    }

    /// The IPv4 and IPv6 addresses of an interface, as text.
    static func addresses(_ list: UnsafeMutablePointer<pcap_addr>?) -> [String] {
        var result: [String] = []
        var cursor = list
        while let entry = cursor?.pointee {
            if let address = entry.addr, let text = SocketAddressText.text(address) { result.append(text) }
            cursor = entry.next
        }
        return result
    }
}
