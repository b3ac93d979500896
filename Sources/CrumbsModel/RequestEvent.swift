import Foundation

/// One observed exchange: a proxied HTTP request, a CONNECT tunnel or an upgraded (WebSocket)
/// connection. Every source (live proxy, HAR import, capture) produces this same type.
///
/// Privacy: the event never holds a cookie value or, unless the user asked for it, a query string.
public struct RequestEvent: Sendable, Equatable, Codable {
    /// What kind of exchange this event describes.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An HTTP request forwarded in absolute form (or decrypted from a tunnel).
        case request
        /// A CONNECT tunnel whose contents Crumbs did not see.
        case tunnel
        /// A request upgraded to another protocol (WebSocket) and then relayed as bytes.
        case upgrade
    }

    public var time: Date
    public var clientAddress: String
    public var kind: Kind
    public var method: String
    public var scheme: String
    public var host: String
    public var port: Int
    /// Path without the query string, unless the proxy was told to keep queries.
    public var path: String?
    /// Response status; nil when no response arrived (refused, timed out, tunnel).
    public var status: Int?
    /// Body bytes from client to server (raw bytes for tunnels).
    public var bytesUp: Int64
    /// Body bytes from server to client (raw bytes for tunnels).
    public var bytesDown: Int64
    /// Seconds from the request head to the end of the response (or tunnel close).
    public var duration: Double
    public var contentType: String?
    /// Registrable domain of the Referer header, never the full URL.
    public var refererSite: String?
    /// Registrable domain of the Origin header.
    public var originSite: String?
    public var secFetchSite: String?
    public var secFetchMode: String?
    public var secFetchDest: String?
    /// The request's `Accept` header (at most 128 characters): a hint of the resource type when
    /// Sec-Fetch-Dest is missing.
    public var accept: String?
    /// Cookies the client sent: names and keyed hashes of the values.
    public var cookiesSent: [SentCookie]
    /// Cookies the server set.
    public var cookiesSet: [SetCookieObservation]
    /// Why the exchange failed, in a few words (for example "dns: no such host"), if it did.
    public var failure: String?
    /// The request travelled inside a CONNECT tunnel that Crumbs decrypted (`--intercept`).
    public var intercepted: Bool
    /// Identifier-like URL parameters (query, Referer query, redirect Location), hashed.
    public var urlTokens: [URLToken]
    /// Filled in by the classifier (off the event loop), before the event is stored.
    public var classification: Classification?

    public init(
        time: Date,
        clientAddress: String,
        kind: Kind = .request,
        method: String,
        scheme: String,
        host: String,
        port: Int,
        path: String? = nil,
        status: Int? = nil,
        bytesUp: Int64 = 0,
        bytesDown: Int64 = 0,
        duration: Double = 0,
        contentType: String? = nil,
        refererSite: String? = nil,
        originSite: String? = nil,
        secFetchSite: String? = nil,
        secFetchMode: String? = nil,
        secFetchDest: String? = nil,
        accept: String? = nil,
        cookiesSent: [SentCookie] = [],
        cookiesSet: [SetCookieObservation] = [],
        failure: String? = nil,
        intercepted: Bool = false,
        urlTokens: [URLToken] = [],
        classification: Classification? = nil
    ) {
        self.time = time
        self.clientAddress = clientAddress
        self.kind = kind
        self.method = method
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path
        self.status = status
        self.bytesUp = bytesUp
        self.bytesDown = bytesDown
        self.duration = duration
        self.contentType = contentType
        self.refererSite = refererSite
        self.originSite = originSite
        self.secFetchSite = secFetchSite
        self.secFetchMode = secFetchMode
        self.secFetchDest = secFetchDest
        self.accept = accept
        self.cookiesSent = cookiesSent
        self.cookiesSet = cookiesSet
        self.failure = failure
        self.intercepted = intercepted
        self.urlTokens = urlTokens
        self.classification = classification
    }
}
