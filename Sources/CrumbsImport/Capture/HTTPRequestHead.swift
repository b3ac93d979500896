/// A plain HTTP/1.x request head at the start of a TCP payload: method, target and header
/// lines (names and values as sent).
public struct HTTPRequestHead: Sendable, Equatable {
    public var method: String
    public var target: String
    public var headers: [(name: String, value: String)]

    public static func == (a: HTTPRequestHead, b: HTTPRequestHead) -> Bool {
        a.method == b.method && a.target == b.target
            && a.headers.map { "\($0.name):\($0.value)" }
                == b.headers.map { "\($0.name):\($0.value)" }
    }

    static let methods: Set<String> = ["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH", "CONNECT"]

    /// Nil unless the payload starts with a request line of a known method and HTTP/1.x; the
    /// head may be cut (one segment): the complete header lines are read.
    public init?(_ payload: ArraySlice<UInt8>) {
        guard let space = payload.prefix(8).firstIndex(of: 0x20) else { return nil }
        let method = String(decoding: payload[payload.startIndex..<space], as: UTF8.self)
        guard Self.methods.contains(method) else { return nil }
        let text = String(decoding: payload.prefix(16_384), as: UTF8.self)
        var lines = text.split(separator: "\r\n", omittingEmptySubsequences: false)
        guard let requestLine = lines.first else { return nil }
        let parts = requestLine.split(separator: " ")
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return nil }
        self.method = method
        target = String(parts[1])
        headers = []
        lines.removeFirst()
        // The last line may be cut by the segment's end unless the blank line was reached.
        let complete = lines.firstIndex(of: "").map { Array(lines[..<$0]) } ?? Array(lines.dropLast())
        for line in complete {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append(
                (String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: [" ", "\t"])))
        }
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        var text = Substring(self)
        while let first = text.first, set.contains(first) { text.removeFirst() }
        while let last = text.last, set.contains(last) { text.removeLast() }
        return String(text)
    }
}
