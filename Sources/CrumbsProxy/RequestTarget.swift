import CrumbsModel

/// Where a request head asks to go, decided from its request-target (RFC 9112 §3.2).
///
/// Parsed over UTF-8 bytes: this runs once per request, and Foundation's `range(of:)` and
/// Character iteration cost more than the rest of the routing together.
enum RequestTarget: Equatable {
    /// `GET http://host:port/path?q HTTP/1.1`: forward. `pathAndQuery` is the origin-form to send.
    case absolute(scheme: String, authority: HostAndPort, pathAndQuery: String)
    /// `CONNECT host:port`: open a tunnel.
    case connect(HostAndPort)
    /// `GET /path`: addressed to the proxy itself.
    case origin(path: String)
    /// Anything else; the reason is shown to the client in a 400.
    case invalid(reason: String)

    init(method: String, uri: String) {
        if method == "CONNECT" {
            if let target = HostAndPort(authority: uri, defaultPort: nil) {
                self = .connect(target)
            } else {
                self = .invalid(reason: "CONNECT needs host:port, got \(uri.prefix(200))")
            }
            return
        }
        let bytes = uri.utf8
        if bytes.first == UInt8(ascii: "/") {
            self = .origin(path: uri)
            return
        }
        // A hand-written scan: the generic `firstRange(of:)` is not specialised here and spent
        // most of its time looking up type metadata.
        guard let schemeEnd = URLHost.schemeSeparator(in: bytes) else {
            self = .invalid(reason: "request-target is neither absolute nor origin form")
            return
        }
        let scheme = bytes[..<schemeEnd]
        guard scheme.equalsIgnoringASCIICase("http") || scheme.equalsIgnoringASCIICase("ws") else {
            let written = String(uri[..<schemeEnd]).lowercased()
            self = .invalid(reason: "scheme \(written.prefix(20)) is not supported in absolute form; use CONNECT")
            return
        }
        let (authorityText, afterAuthority) = URLHost.splitAuthority(uri[bytes.index(schemeEnd, offsetBy: 3)...])
        var rest = afterAuthority
        if let fragment = rest.utf8.firstIndex(of: UInt8(ascii: "#")) { rest = rest[..<fragment] }
        guard let authority = HostAndPort(authority: authorityText, defaultPort: 80) else {
            self = .invalid(reason: "bad host in request-target")
            return
        }
        let pathAndQuery = rest.isEmpty ? "/" : (rest.utf8.first == UInt8(ascii: "?") ? "/" + rest : String(rest))
        self = .absolute(scheme: "http", authority: authority, pathAndQuery: pathAndQuery)
    }
}
