import NIOHTTP1

/// Removes the headers that belong to one connection only (RFC 9110 §7.6.1) before a message
/// is forwarded, and adds our `Via` (RFC 9110 §7.6.3).
enum HopByHopHeaders {
    /// Always connection-specific, whether or not `Connection` names them.
    static let fixed: Set<String> = [
        "connection", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authorization", "proxy-authenticate",
    ]

    /// Strips hop-by-hop headers in place. Returns true when the message had a
    /// `Transfer-Encoding`, so the caller can re-frame the body (the decoder already removed the
    /// chunked coding; the encoder must add its own).
    @discardableResult
    static func strip(_ headers: inout HTTPHeaders, keepUpgrade: Bool = false) -> Bool {
        var named: [String] = []
        var hadTransferEncoding = false
        var found = false
        for (name, value) in headers {
            let lower = name.lowercased()
            if lower == "connection" { named += value.split(separator: ",").map { trimmed($0).lowercased() } }
            if lower == "transfer-encoding" { hadTransferEncoding = true }
            if fixed.contains(lower) { found = true }
        }
        guard found || !named.isEmpty else { return false }
        // One pass that keeps the end-to-end headers, instead of a scan per removed name.
        let kept = headers.filter { name, _ in
            let lower = name.lowercased()
            if keepUpgrade, lower == "upgrade" || lower == "connection" { return true }
            return !fixed.contains(lower) && !named.contains(lower)
        }
        headers = HTTPHeaders(kept)
        return hadTransferEncoding
    }

    private static func trimmed(_ text: Substring) -> Substring {
        var slice = text
        while slice.first == " " || slice.first == "\t" { slice.removeFirst() }
        while slice.last == " " || slice.last == "\t" { slice.removeLast() }
        return slice
    }

    /// Appends our Via entry, as `1.1 crumbs-xxxx` (HTTP/1.0 peers get `1.0`).
    static func addVia(_ headers: inout HTTPHeaders, version: HTTPVersion, token: String) {
        headers.add(name: "Via", value: "\(version.major).\(version.minor) \(token)")
    }

    /// True when a `Via` header already carries our token: the request has been through us.
    static func hasLoop(_ headers: HTTPHeaders, token: String) -> Bool {
        headers[canonicalForm: "via"].contains { entry in
            entry.split(separator: " ").dropFirst().first.map { $0 == token } ?? false
        }
    }

    /// True for a request asking to switch protocols (WebSocket).
    static func isUpgradeRequest(_ headers: HTTPHeaders) -> Bool {
        headers.contains(name: "upgrade")
            && headers[canonicalForm: "connection"].contains { $0.lowercased() == "upgrade" }
    }
}
