/// Why live capture could not start or went on.
public enum LiveCaptureError: Error, Equatable, CustomStringConvertible {
    /// The process lacks CAP_NET_RAW / CAP_NET_ADMIN (or root).
    case permissionDenied(interface: String, detail: String)
    case noSuchInterface(String)
    case badFilter(filter: String, detail: String)
    case failed(String)

    public var description: String {
        switch self {
        case .permissionDenied(let interface, let detail):
            "capturing on \(interface) is not permitted (\(detail))"
        case .noSuchInterface(let name):
            "no interface named \(name) (see crumbs capture --list-interfaces)"
        case .badFilter(let filter, let detail):
            "the capture filter \"\(filter)\" is not valid BPF: \(detail)"
        case .failed(let detail):
            "capture failed: \(detail)"
        }
    }
}

extension LiveCaptureError {
    /// libpcap's error buffer (NUL-terminated) as text.
    static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
