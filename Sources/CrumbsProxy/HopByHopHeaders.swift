import NIOHTTP1

/// Removes the headers that belong to one connection only (RFC 9110 §7.6.1) before a message
/// is forwarded, and adds our `Via` (RFC 9110 §7.6.3).
enum HopByHopHeaders {
    /// Always connection-specific, whether or not `Connection` names them.
    static let fixed: [String] = [
        "connection", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authorization", "proxy-authenticate",
    ]

    /// Strips hop-by-hop headers in place. Returns true when the message had a
    /// `Transfer-Encoding`, so the caller can re-frame the body (the decoder already removed the
    /// chunked coding; the encoder must add its own).
    @discardableResult
    static func strip(_ headers: inout HTTPHeaders, keepUpgrade: Bool = false) -> Bool {
        let hadTransferEncoding = headers.contains(name: "transfer-encoding")
        var named: [String] = []
        for value in headers[canonicalForm: "connection"] {
            named.append(value.lowercased())
        }
        for name in named where !(keepUpgrade && name == "upgrade") {
            headers.remove(name: name)
        }
        for name in fixed where !(keepUpgrade && (name == "upgrade" || name == "connection")) {
            headers.remove(name: name)
        }
        return hadTransferEncoding
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
