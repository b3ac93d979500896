import Foundation

/// One observed exchange: a proxied HTTP request, a CONNECT tunnel or an upgraded (WebSocket)
/// connection. Every source (live proxy, HAR import, capture) produces this same type.
///
/// Privacy: the event never holds a cookie value or, unless the user asked for it, a query string.
public struct RequestEvent: Sendable, Equatable {
    /// What kind of exchange this event describes.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// An HTTP request forwarded in absolute form (or decrypted from a tunnel).
        case request
        /// A CONNECT tunnel whose contents Crumbs did not see.
        case tunnel
        /// A request upgraded to another protocol (WebSocket) and then relayed as bytes.
        case upgrade
        /// A DNS question and its answers, seen on the wire (passive capture).
        case dnsQuery
        /// A TLS or QUIC ClientHello with its server name, seen on the wire (passive capture).
        case tlsHello
        /// A marker, never stored: a CONNECT tunnel has just opened. Tunnels are recorded when
        /// they close, minutes later for a kept-alive connection; attribution needs to know the
        /// order in which they opened, as it happens (see `FirstPartyAttributor`).
        case tunnelOpened
    }

    /// Where an event was observed. Every source goes through the same `EventBuilder`.
    public enum Source: String, Sendable, CaseIterable {
        /// Forwarded by the proxy: plain HTTP, or a CONNECT tunnel it did not decrypt.
        case proxy
        /// Decrypted by the proxy from a tunnel (`--intercept`).
        case intercepted
        /// Read from a browser's HAR recording.
        case har
        /// Seen on the wire by passive capture.
        case capture
    }

    /// What classification needs and storage must not keep: the whole request target (with its
    /// query) and the host of the page or frame that made the request. It lives in memory from
    /// the `EventBuilder` until the recorder's stage has classified the event, then is dropped.
    public struct Detail: Sendable, Equatable {
        /// The request target as sent: path and query (origin form).
        public var target: String?
        /// The Referer's host (else the Origin's): the page or frame that made the request.
        public var sourceHost: String?
        /// The page the recording itself files the request under (a HAR entry's `pageref`).
        public var recordedPage: RecordedPage?
        /// Where the host's DNS CNAME chain ends, when that is another site (passive capture): a
        /// tracker behind a first-party name (CNAME cloaking) is judged by this name.
        public var canonicalHost: String?

        public init(
            target: String? = nil, sourceHost: String? = nil, recordedPage: RecordedPage? = nil,
            canonicalHost: String? = nil
        ) {
            self.target = target
            self.sourceHost = sourceHost
            self.recordedPage = recordedPage
            self.canonicalHost = canonicalHost
        }
    }

    /// A page named by the recording (HAR `pages` and `pageref`), as the host its document came
    /// from after any redirects. Evidence, not a guess: the browser itself grouped the requests.
    public struct RecordedPage: Sendable, Equatable {
        public var host: String
        public var site: String
        /// This event is the page's own document (the end of its redirect chain).
        public var isDocument: Bool

        public init(host: String, site: String, isDocument: Bool = false) {
            self.host = host
            self.site = site
            self.isDocument = isDocument
        }
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
    /// Why the exchange failed, in a few words (for example "dns: no such host"), if it did; for
    /// passive capture, also what Crumbs could not see about it (an Encrypted Client Hello's outer
    /// name, a host name taken from the device's DNS answer rather than from the flow itself).
    public var failure: String?
    /// Where the event was observed.
    public var source: Source
    /// Unreduced request details for the classifier; nil once the event has been classified.
    public var detail: Detail?
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
        source: Source = .proxy,
        detail: Detail? = nil,
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
        self.source = source
        self.detail = detail
        self.urlTokens = urlTokens
        self.classification = classification
    }
}

extension RequestEvent {
    /// The request travelled inside a CONNECT tunnel that Crumbs decrypted (`--intercept`).
    public var intercepted: Bool {
        get { source == .intercepted }
        set { source = newValue ? .intercepted : (source == .intercepted ? .proxy : source) }
    }

    /// Kinds that the store keeps (markers are consumed by the recorder's stage).
    public var isStored: Bool { kind != .tunnelOpened }
}
