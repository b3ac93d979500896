import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking TCP client for byte-exact requests (malformed input, pipelining, CONNECT).
/// Every read has a timeout, so a test can never hang on it.
final class RawClient {
    private let fd: Int32

    init(host: String = "127.0.0.1", port: Int, bindAddress: String? = nil) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else {
            closed = true
            throw RawClientError("socket() failed")
        }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let bindAddress {
            var local = try Self.address(bindAddress, port: 0)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
            guard bound == 0 else {
                close()
                throw RawClientError("bind to \(bindAddress) failed")
            }
        }
        var remote = try Self.address(host, port: port)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            close()
            throw RawClientError("connect to \(host):\(port) failed: errno \(errno)")
        }
    }

    private var closed = false

    deinit { close() }

    /// Closes the connection (both directions).
    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard sent > 0 else { throw RawClientError("send failed: errno \(errno)") }
            offset += sent
        }
    }

    /// Half-closes: the proxy sees end of input, but can still answer.
    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads until the peer closes or `seconds` pass.
    func readToEnd(seconds: Double = 5) -> String {
        read(until: { _ in false }, seconds: seconds)
    }

    /// Reads until `marker` appears (or close, or timeout).
    func read(untilContains marker: String, seconds: Double = 5) -> String {
        read(until: { $0.contains(marker) }, seconds: seconds)
    }

    /// Reads until `count` complete responses whose bodies end with `terminator` have arrived.
    func read(until done: (String) -> Bool, seconds: Double) -> String {
        var received = [UInt8]()
        let deadline = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        while Date() < deadline {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
            if done(String(decoding: received, as: UTF8.self)) { break }
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// Reads and throws away bytes until `count` have arrived after the response head (or close
    /// or timeout); returns how many body bytes arrived. Constant memory, for huge bodies.
    func drainBody(expecting count: Int, seconds: Double) -> Int {
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        var headSeen = false
        var head = [UInt8]()
        var body = 0
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline && body < count {
            let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if received <= 0 { break }
            if headSeen {
                body += received
                continue
            }
            head += buffer[0..<received]
            if let end = String(decoding: head, as: UTF8.self).range(of: "\r\n\r\n") {
                headSeen = true
                body = head.count - String(decoding: head, as: UTF8.self)[..<end.upperBound].utf8.count
            }
        }
        return body
    }

    /// True when the peer has closed the connection (a read returns end of file).
    func peerClosed(seconds: Double = 5) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        var byte: UInt8 = 0
        while Date() < deadline {
            let count = recv(fd, &byte, 1, 0)
            if count == 0 { return true }
            if count < 0 && errno != EAGAIN && errno != EWOULDBLOCK { return true }
        }
        return false
    }

    private static func address(_ host: String, port: Int) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else { throw RawClientError("bad address \(host)") }
        return address
    }
}

struct RawClientError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
