import CrumbsModel
import NIOHTTP1

/// Removes the headers that belong to one connection only (RFC 9110 §7.6.1) before a message
/// is forwarded, and adds our `Via` (RFC 9110 §7.6.3).
enum HopByHopHeaders {
    /// Always connection-specific, whether or not `Connection` names them (lower case).
    static let fixed: [String] = [
        "connection", "proxy-connection", "keep-alive", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authorization", "proxy-authenticate",
    ]

    /// Strips hop-by-hop headers in place. Returns true when the message had a
    /// `Transfer-Encoding`, so the caller can re-frame the body (the decoder already removed the
    /// chunked coding; the encoder must add its own).
    ///
    /// Runs twice per request, so it compares names in place instead of lower-casing copies,
    /// and removes only what is there.
    @discardableResult
    static func strip(_ headers: inout HTTPHeaders, keepUpgrade: Bool = false) -> Bool {
        var present: [String] = []
        var named: [String] = []
        var hadTransferEncoding = false
        for (name, value) in headers {
            guard let hopByHop = fixed.first(where: { name.utf8.equalsIgnoringASCIICase($0) }) else { continue }
            if keepUpgrade, hopByHop == "upgrade" || hopByHop == "connection" { continue }
            present.append(hopByHop)
            if hopByHop == "transfer-encoding" { hadTransferEncoding = true }
            if hopByHop == "connection" {
                named += value.split(separator: ",").map { trimmed($0).lowercased() }
            }
        }
        for name in present + named {
            if keepUpgrade, name == "upgrade" || name == "connection" { continue }
            headers.remove(name: name)
        }
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
        let protocolVersion = version == .http1_1 ? "1.1" : "\(version.major).\(version.minor)"
        headers.add(name: "Via", value: protocolVersion + " " + token)
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
