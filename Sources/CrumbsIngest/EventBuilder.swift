import CrumbsModel
import Foundation

/// Builds `RequestEvent`s from what any source saw — the proxy, a HAR file, a capture — and is
/// the one place where the privacy reduction happens: sites instead of Referer and Origin URLs,
/// cookie and identifier values to keyed hashes, paths without their query unless the user asked
/// for queries. What classification still needs (the whole target, the page's host) travels in
/// `RequestEvent.detail`, in memory only, until `IngestStage` has classified the event.
///
/// Headers come as (name, value) pairs in any sequence, so that the proxy passes NIO's
/// `HTTPHeaders` as they are and an importer passes an array.
public struct EventBuilder: Sendable {
    public typealias Header = (name: String, value: String)

    let siteResolver: any SiteResolver
    let cookieParser: CookieParser
    /// Hashes identifier-like URL parameters with the same key as cookie values.
    let urlTokens: URLTokenExtractor
    public let keepQuery: Bool

    public init(siteResolver: any SiteResolver, keepQuery: Bool, hasher: CookieHasher) {
        self.siteResolver = siteResolver
        self.keepQuery = keepQuery
        self.cookieParser = CookieParser(hashValue: { hasher.hash($0) })
        self.urlTokens = URLTokenExtractor(hashValue: { hasher.hash($0) })
    }

    /// An HTTP request (or an upgrade): `target` is the origin-form path and query as sent.
    /// Inlinable, so that the caller's header type (NIO's `HTTPHeaders`, an array) is scanned by
    /// specialised code; the rest is `request(method:…fields:…)`.
    @inlinable
    public func request<Headers: Sequence<Header>>(
        method: String, scheme: String, host: String, port: Int, target: String?, headers: Headers,
        kind: RequestEvent.Kind = .request, source: RequestEvent.Source, client: String, time: Date
    ) -> RequestEvent {
        request(
            method: method, scheme: scheme, host: host, port: port, target: target,
            fields: RequestHeaderFields(headers), kind: kind, source: source, client: client, time: time)
    }

    /// An HTTP request whose headers have been read into `fields`.
    public func request(
        method: String, scheme: String, host: String, port: Int, target: String?, fields: RequestHeaderFields,
        kind: RequestEvent.Kind = .request, source: RequestEvent.Source, client: String, time: Date
    ) -> RequestEvent {
        var cookies: [SentCookie] = []
        for header in fields.cookies { cookies += cookieParser.sentCookies(fromHeader: header, at: time) }
        var tokens: [URLToken] = []
        if let target { tokens = urlTokens.tokens(inURL: Substring(target), host: host, source: .query, at: time) }
        // The Referer is parsed once: its host gives the site, its query the tokens.
        let refererHost = fields.referer.flatMap(URLHost.host(ofURL:))
        if let referer = fields.referer, let refererHost {
            tokens += urlTokens.tokens(inURL: Substring(referer), host: refererHost, source: .referer, at: time)
        }
        let originHost = fields.origin.flatMap(URLHost.host(ofURL:))
        return RequestEvent(
            time: time,
            clientAddress: client,
            kind: kind,
            method: method,
            scheme: scheme,
            host: host,
            port: port,
            path: target.map(recordedPath),
            refererSite: refererHost.map(site(ofHost:)),
            originSite: originHost.map(site(ofHost:)),
            secFetchSite: fields.secFetchSite,
            secFetchMode: fields.secFetchMode,
            secFetchDest: fields.secFetchDest,
            accept: fields.accept.map { String($0.prefix(128)) },
            cookiesSent: cookies,
            source: source,
            detail: RequestEvent.Detail(
                target: target, sourceHost: refererHost ?? originHost),
            urlTokens: tokens
        )
    }

    /// A CONNECT tunnel whose contents were not seen.
    public func tunnel(
        host: String, port: Int, kind: RequestEvent.Kind = .tunnel, source: RequestEvent.Source = .proxy,
        client: String, time: Date
    ) -> RequestEvent {
        let scheme = port == 443 ? "https" : (port == 80 ? "http" : "tcp")
        return RequestEvent(
            time: time, clientAddress: client, kind: kind, method: "CONNECT", scheme: scheme, host: host, port: port,
            source: source)
    }

    /// Adds what the response head tells: status, content type and the cookies it sets.
    @inlinable
    public func addResponse<Headers: Sequence<Header>>(
        status: Int, headers: Headers, to event: inout RequestEvent, time: Date
    ) {
        addResponse(status: status, fields: ResponseHeaderFields(headers), to: &event, time: time)
    }

    /// Adds what the response head tells, from headers read into `fields`.
    public func addResponse(status: Int, fields: ResponseHeaderFields, to event: inout RequestEvent, time: Date) {
        event.status = status
        event.contentType = fields.contentType.map(Self.mediaType)
        for header in fields.setCookies {
            // Some exporters fold several Set-Cookie values into one, one per line.
            for line in header.split(whereSeparator: \.isNewline) {
                if let cookie = cookieParser.setCookie(fromHeader: String(line), receivedAt: time) {
                    event.cookiesSet.append(cookie)
                }
            }
        }
        let location = fields.location
        // A redirect that carries an identifier to another host is how cookie syncing works.
        if (300..<400).contains(status), let location, let host = URLHost.host(ofURL: location) {
            event.urlTokens += urlTokens.tokens(inURL: Substring(location), host: host, source: .location, at: time)
        }
    }

    /// The media type alone, lower-cased: parameters such as charset or boundary are noise here.
    public static func mediaType(_ value: String) -> String {
        var type = value.utf8.prefix { $0 != UInt8(ascii: ";") }
        while type.first == 0x20 || type.first == 0x09 { type.removeFirst() }
        while type.last == 0x20 || type.last == 0x09 { type.removeLast() }
        return String(Substring(type)).lowercased()
    }

    /// The path as stored: without its query unless queries are kept.
    public func recordedPath(_ pathAndQuery: String) -> String {
        guard !keepQuery, let query = pathAndQuery.utf8.firstIndex(of: UInt8(ascii: "?")) else { return pathAndQuery }
        return String(pathAndQuery[..<query])
    }

    /// The site of a URL in a Referer or Origin header; "null" and garbage give nil.
    public func site(ofURL url: String) -> String? {
        URLHost.host(ofURL: url).map(site(ofHost:))
    }

    /// The registrable domain of a host (the host itself when the suffix list does not know it).
    public func site(ofHost host: String) -> String {
        siteResolver.site(ofHost: host) ?? host
    }
}

/// The request headers the builder reads, found in one pass over the list.
public struct RequestHeaderFields: Sendable {
    public var cookies: [String] = []
    public var referer: String?
    public var origin: String?
    public var secFetchSite: String?
    public var secFetchMode: String?
    public var secFetchDest: String?
    public var accept: String?

    @inlinable
    public init<Headers: Sequence<EventBuilder.Header>>(_ headers: Headers) {
        for (name, value) in headers {
            // HTTP/2 pseudo-headers (HAR files carry them) are not headers of the request.
            guard let first = name.utf8.first, first != UInt8(ascii: ":") else { continue }
            switch name.utf8.count {
            case 6:
                if name.utf8.equalsIgnoringASCIICase("cookie") {
                    cookies.append(value)
                } else if origin == nil, name.utf8.equalsIgnoringASCIICase("origin") {
                    origin = value
                } else if accept == nil, name.utf8.equalsIgnoringASCIICase("accept") {
                    accept = value
                }
            case 7:
                if referer == nil, name.utf8.equalsIgnoringASCIICase("referer") { referer = value }
            case 14:
                if secFetchSite == nil, name.utf8.equalsIgnoringASCIICase("sec-fetch-site") {
                    secFetchSite = value
                } else if secFetchMode == nil, name.utf8.equalsIgnoringASCIICase("sec-fetch-mode") {
                    secFetchMode = value
                } else if secFetchDest == nil, name.utf8.equalsIgnoringASCIICase("sec-fetch-dest") {
                    secFetchDest = value
                }
            default:
                continue
            }
        }
    }
}

/// The response headers the builder reads, found in one pass over the list.
public struct ResponseHeaderFields: Sendable {
    public var contentType: String?
    public var setCookies: [String] = []
    public var location: String?

    @inlinable
    public init<Headers: Sequence<EventBuilder.Header>>(_ headers: Headers) {
        for (name, value) in headers {
            switch name.utf8.count {
            case 8:
                if location == nil, name.utf8.equalsIgnoringASCIICase("location") { location = value }
            case 10:
                if name.utf8.equalsIgnoringASCIICase("set-cookie") { setCookies.append(value) }
            case 12:
                if contentType == nil, name.utf8.equalsIgnoringASCIICase("content-type") { contentType = value }
            default:
                continue
            }
        }
    }
}
