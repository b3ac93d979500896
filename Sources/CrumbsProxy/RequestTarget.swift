/// Where a request head asks to go, decided from its request-target (RFC 9112 §3.2).
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
        if uri.hasPrefix("/") {
            self = .origin(path: uri)
            return
        }
        guard let schemeEnd = uri.range(of: "://") else {
            self = .invalid(reason: "request-target is neither absolute nor origin form")
            return
        }
        let scheme = uri[..<schemeEnd.lowerBound].lowercased()
        let afterScheme = uri[schemeEnd.upperBound...]
        let authorityEnd =
            afterScheme.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? afterScheme.endIndex
        var authorityText = afterScheme[..<authorityEnd]
        // Userinfo (user:pass@host) must not be forwarded; it has no place in a request-target.
        if let at = authorityText.lastIndex(of: "@") {
            authorityText = authorityText[authorityText.index(after: at)...]
        }
        var rest = afterScheme[authorityEnd...]
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        let defaultPort = scheme == "https" ? 443 : 80
        guard scheme == "http" || scheme == "ws" else {
            self = .invalid(reason: "scheme \(scheme.prefix(20)) is not supported in absolute form; use CONNECT")
            return
        }
        guard let authority = HostAndPort(authority: authorityText, defaultPort: defaultPort) else {
            self = .invalid(reason: "bad host in request-target")
            return
        }
        let pathAndQuery = rest.isEmpty ? "/" : (rest.hasPrefix("?") ? "/" + rest : String(rest))
        self = .absolute(scheme: "http", authority: authority, pathAndQuery: pathAndQuery)
    }
}
