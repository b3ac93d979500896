/// A plain HTTP/1.x message head read from a TCP stream: a request (method, target) or a response
/// (status), and its header lines as sent.
public struct HTTPHead: Sendable, Equatable {
    public enum StartLine: Sendable, Equatable {
        case request(method: String, target: String)
        case response(status: Int)
    }

    public enum ParseResult: Sendable, Equatable {
        case head(HTTPHead)
        /// The start of a head whose blank line has not arrived yet.
        case incomplete
        case notHTTP
    }

    public var start: StartLine
    public var headers: [(name: String, value: String)]
    /// Bytes the head takes, its blank line included: the body starts there.
    public var length: Int

    public static func == (a: HTTPHead, b: HTTPHead) -> Bool {
        a.start == b.start && a.length == b.length
            && a.headers.map { "\($0.name):\($0.value)" } == b.headers.map { "\($0.name):\($0.value)" }
    }

    static let methods: Set<String> = [
        "GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT", "TRACE",
    ]

    /// A head longer than this is not read (counted by the caller as cut).
    public static let maximumLength = 32_768

    /// Whether `bytes` start like an HTTP/1.x request or response (to find the next message on
    /// a stream whose body length Crumbs could not follow).
    public static func startsMessage(_ bytes: ArraySlice<UInt8>) -> Bool {
        if bytes.starts(with: "HTTP/1.".utf8) { return true }
        guard let space = bytes.prefix(8).firstIndex(of: 0x20) else { return false }
        return methods.contains(String(decoding: bytes[bytes.startIndex..<space], as: UTF8.self))
    }

    /// Reads the head at the start of `bytes`.
    public static func parse(_ bytes: ArraySlice<UInt8>) -> ParseResult {
        guard startsMessage(bytes) else { return bytes.count < 8 && !bytes.isEmpty ? .incomplete : .notHTTP }
        guard let end = headEnd(bytes) else { return bytes.count >= maximumLength ? .notHTTP : .incomplete }
        let text = String(decoding: bytes[bytes.startIndex..<(bytes.startIndex + end)], as: UTF8.self)
        var lines = text.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\n" || $0 == "\r\n" })
            .map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        guard !lines.isEmpty else { return .notHTTP }
        let startLine = lines.removeFirst().split(separator: " ", maxSplits: 2)
        let start: StartLine
        if startLine.first?.hasPrefix("HTTP/1.") == true {
            guard startLine.count >= 2, let status = Int(startLine[1]), (100..<1000).contains(status) else {
                return .notHTTP
            }
            start = .response(status: status)
        } else {
            guard startLine.count == 3, startLine[2].hasPrefix("HTTP/1.") else { return .notHTTP }
            start = .request(method: String(startLine[0]), target: String(startLine[1]))
        }
        var headers: [(name: String, value: String)] = []
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), trimmed(line[line.index(after: colon)...])))
        }
        return .head(HTTPHead(start: start, headers: headers, length: end))
    }

    /// The first value of header `name` (case-insensitive).
    public func value(of name: String) -> String? {
        headers.first { $0.name.equalsIgnoringCase(name) }?.value
    }

    /// The body's length when the head states it; nil when it runs to a chunked end or to the
    /// connection's close (which Crumbs does not follow: it looks for the next head instead).
    public var bodyLength: Int? {
        if case .response(let status) = start, status / 100 == 1 || status == 204 || status == 304 { return 0 }
        if let encoding = value(of: "Transfer-Encoding"), encoding.lowercased().contains("chunked") { return nil }
        if let length = value(of: "Content-Length") { return Int(length) }
        if case .request = start { return 0 }
        return nil
    }

    /// The offset just past the blank line ending the head (CRLF CRLF, or bare LF LF).
    static func headEnd(_ bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        let limit = min(bytes.endIndex, bytes.startIndex + maximumLength)
        while index < limit {
            if bytes[index] == 0x0A {
                let next = index + 1
                if next < bytes.endIndex, bytes[next] == 0x0A { return next + 1 - bytes.startIndex }
                if next + 1 < bytes.endIndex, bytes[next] == 0x0D, bytes[next + 1] == 0x0A {
                    return next + 2 - bytes.startIndex
                }
            }
            index += 1
        }
        return nil
    }

    private static func trimmed(_ text: Substring) -> String {
        var text = text
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return String(text)
    }
}

extension String {
    fileprivate func equalsIgnoringCase(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}
