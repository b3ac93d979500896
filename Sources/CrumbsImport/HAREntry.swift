import Foundation

/// What Crumbs reads of one HAR entry: the request line and headers, the response head, the
/// page it belongs to and the exporters' extensions that say how it was loaded. Bodies, post
/// data, query lists and timings are skipped unread.
struct HAREntry {
    struct Cookie {
        var name = ""
        var value = ""
        var path: String?
        var domain: String?
        var expires: String?
        var httpOnly = false
        var secure = false
        var sameSite: String?
    }

    /// Position in `log.entries`, from 0.
    var index: Int
    var pageref: String?
    var startedDateTime: String?
    /// Milliseconds, the entry's total time.
    var time: Double?
    var method: String?
    var url: String?
    var requestHeaders: [EventBuilderHeader] = []
    var requestCookies: [Cookie] = []
    var requestBodySize: Double?
    var status: Int?
    var responseHeaders: [EventBuilderHeader] = []
    var responseCookies: [Cookie] = []
    var mimeType: String?
    var responseBodySize: Double?
    var contentSize: Double?
    /// Chrome's `_transferSize`: bytes on the wire, headers included.
    var transferSize: Double?
    var redirectURL: String?
    var serverIPAddress: String?
    /// Chrome's and sitespeed.io's `_resourceType` (document, script, xhr…).
    var resourceType: String?
    /// The URL that started the request (`_initiator.url`, or WebPageTest's `_initiator` string).
    var initiatorURL: String?
    /// `_fromCache` (Chrome: "memory" or "disk"), or Safari's `_fetchType` naming a cache.
    var fromCache = false
    /// Chrome's `_error` (net::ERR_…).
    var error: String?
    /// The entry carries `_webSocketMessages`: a WebSocket (never read beyond its presence).
    var isWebSocket = false
    /// Why the entry cannot be used, if it cannot.
    var problem: String?

    init(index: Int) {
        self.index = index
    }
}

/// A header pair as `EventBuilder` takes it.
typealias EventBuilderHeader = (name: String, value: String)

/// A HAR page: an id that entries point to, and a title (often its URL, not always).
struct HARPage {
    var id: String
    var title: String?
    var startedDateTime: String?
}

/// The program that wrote a HAR (`log.creator`) or the browser it recorded (`log.browser`).
public struct HARCreator: Sendable, Equatable {
    public var name: String
    public var version: String

    public init(name: String, version: String) {
        self.name = name
        self.version = version
    }
}
