import CrumbsModel
import Foundation
import NIOHTTP1

/// Turns request and response heads into `RequestEvent`s, keeping only what Crumbs may record:
/// sites instead of Referer URLs, cookie names and keyed hashes instead of values, and paths
/// without query strings unless the user asked for them.
struct EventFactory: Sendable {
    let siteResolver: any SiteResolver
    let cookieParser: CookieParser
    let keepQuery: Bool
    /// Hashes identifier-like URL parameters with the same key as cookie values.
    let urlTokens: URLTokenExtractor

    init(
        siteResolver: any SiteResolver, cookieParser: CookieParser, keepQuery: Bool,
        hashValue: @escaping CookieParser.ValueHasher
    ) {
        self.siteResolver = siteResolver
        self.cookieParser = cookieParser
        self.keepQuery = keepQuery
        self.urlTokens = URLTokenExtractor(hashValue: hashValue)
    }

    func requestEvent(
        head: HTTPRequestHead,
        kind: RequestEvent.Kind,
        scheme: String,
        target: HostAndPort,
        pathAndQuery: String?,
        client: String,
        time: Date
    ) -> RequestEvent {
        let headers = head.headers
        var cookies: [SentCookie] = []
        for header in headers["cookie"] {
            cookies += cookieParser.sentCookies(fromHeader: header)
        }
        var tokens: [URLToken] = []
        if let pathAndQuery {
            tokens = urlTokens.tokens(inURL: Substring(pathAndQuery), host: target.host, source: .query)
        }
        // The Referer is parsed once: its host gives the site, its query the tokens.
        let referer = headers.first(name: "referer")
        let refererHost = referer.flatMap(host(ofURL:))
        if let referer, let refererHost {
            tokens += urlTokens.tokens(inURL: Substring(referer), host: refererHost, source: .referer)
        }
        return RequestEvent(
            time: time,
            clientAddress: client,
            kind: kind,
            method: head.method.rawValue,
            scheme: scheme,
            host: target.host,
            port: target.port,
            path: pathAndQuery.map(recordedPath),
            refererSite: refererHost.map(site(ofHost:)),
            originSite: headers.first(name: "origin").flatMap(site(ofURL:)),
            secFetchSite: headers.first(name: "sec-fetch-site"),
            secFetchMode: headers.first(name: "sec-fetch-mode"),
            secFetchDest: headers.first(name: "sec-fetch-dest"),
            accept: headers.first(name: "accept").map { String($0.prefix(128)) },
            cookiesSent: cookies,
            urlTokens: tokens
        )
    }

    func tunnelEvent(target: HostAndPort, client: String, time: Date) -> RequestEvent {
        let scheme = target.port == 443 ? "https" : (target.port == 80 ? "http" : "tcp")
        return RequestEvent(
            time: time,
            clientAddress: client,
            kind: .tunnel,
            method: "CONNECT",
            scheme: scheme,
            host: target.host,
            port: target.port
        )
    }

    /// Adds what the response head tells: status, content type and the cookies it sets.
    func addResponse(_ head: HTTPResponseHead, to event: inout RequestEvent, time: Date) {
        event.status = Int(head.status.code)
        event.contentType = head.headers.first(name: "content-type").map(Self.mediaType)
        event.cookiesSet = head.headers["set-cookie"].compactMap {
            cookieParser.setCookie(fromHeader: $0, receivedAt: time)
        }
        // A redirect that carries an identifier to another host is how cookie syncing works.
        if (300..<400).contains(event.status ?? 0), let location = head.headers.first(name: "location"),
            let host = host(ofURL: location)
        {
            event.urlTokens += urlTokens.tokens(inURL: Substring(location), host: host, source: .location)
        }
    }

    /// The media type alone, lower-cased: parameters such as charset or boundary are noise here.
    static func mediaType(_ value: String) -> String {
        var type = value.utf8.prefix { $0 != UInt8(ascii: ";") }
        while type.first == 0x20 || type.first == 0x09 { type.removeFirst() }
        while type.last == 0x20 || type.last == 0x09 { type.removeLast() }
        return String(Substring(type)).lowercased()
    }

    func recordedPath(_ pathAndQuery: String) -> String {
        guard !keepQuery, let query = pathAndQuery.utf8.firstIndex(of: UInt8(ascii: "?")) else { return pathAndQuery }
        return String(pathAndQuery[..<query])
    }

    /// The site of a URL in a Referer or Origin header; "null" and garbage give nil.
    func site(ofURL url: String) -> String? {
        host(ofURL: url).map(site(ofHost:))
    }

    private func site(ofHost host: String) -> String {
        siteResolver.site(ofHost: host) ?? host
    }

    /// The host of a full URL (Referer, Origin, Location), without user info or port; nil for
    /// "null", relative URLs and garbage.
    func host(ofURL url: String) -> String? {
        // Over UTF-8 bytes: most browser requests carry a Referer, so this runs for nearly all.
        guard let schemeEnd = RequestTarget.schemeSeparator(in: url.utf8) else { return nil }
        let (authority, _) = RequestTarget.splitAuthority(url[url.utf8.index(schemeEnd, offsetBy: 3)...])
        return HostAndPort(authority: authority, defaultPort: 0)?.host
    }
}
