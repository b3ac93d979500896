import CrumbsIngest
import CrumbsModel
import Foundation

extension HARImporter {
    /// The event for one entry, or nil (counted in `summary`) when the entry is not a request
    /// that left the browser or cannot be read.
    func convert(_ entry: HAREntry, summary: inout HARImportSummary) throws -> RequestEvent? {
        if let problem = entry.problem {
            summary.reject(entry.index, problem)
            return nil
        }
        let url = entry.url ?? ""
        guard let schemeEnd = URLHost.schemeSeparator(in: url.utf8) else {
            // data:, blob:, about:blank… have no "://"; neither do relative URLs (a broken HAR).
            if url.utf8.contains(UInt8(ascii: ":")) {
                summary.notNetwork += 1
            } else {
                summary.reject(entry.index, "relative URL")
            }
            return nil
        }
        let scheme: String
        switch url[..<schemeEnd].lowercased() {
        case "http", "ws": scheme = "http"
        case "https", "wss": scheme = "https"
        default:
            // chrome-extension://, moz-extension://, file://: not the network.
            summary.notNetwork += 1
            return nil
        }
        if entry.fromCache || (entry.status == 0 && entry.error == nil) {
            summary.cached += 1
            return nil
        }
        if let error = entry.error, error.contains("BLOCKED") {
            summary.blocked += 1
            return nil
        }
        let (authority, rest) = URLHost.splitAuthority(url[url.utf8.index(schemeEnd, offsetBy: 3)...])
        guard let address = HostAndPort(authority: authority, defaultPort: scheme == "https" ? 443 : 80) else {
            summary.reject(entry.index, "invalid host in URL")
            return nil
        }
        guard let started = entry.startedDateTime.flatMap(ISO8601Time.parse) else {
            summary.reject(entry.index, "unreadable startedDateTime")
            return nil
        }
        if started.zoneless { summary.zonelessTimes += 1 }
        // The target as sent: path and query, never the fragment (browsers do not send it).
        var target = rest.prefix { $0 != "#" }
        if target.isEmpty || target.first == "?" { target = "/" + target }
        var fields = RequestHeaderFields(entry.requestHeaders)
        if fields.cookies.isEmpty, !entry.requestCookies.isEmpty {
            // Some exporters list request cookies only in `cookies`, not as a header.
            fields.cookies = [entry.requestCookies.map { "\($0.name)=\($0.value)" }.joined(separator: "; ")]
        }
        if fields.referer == nil, let initiator = entry.initiatorURL, URLHost.host(ofURL: initiator) != nil {
            // Chrome's `_initiator` names the document or script that made the request when the
            // Referer was trimmed or left out: the same evidence, from the browser itself.
            fields.referer = initiator
        }
        if fields.secFetchDest == nil, let type = entry.resourceType {
            fields.secFetchDest = Self.fetchDestination(ofResourceType: type)
        }
        let isWebSocket = entry.isWebSocket || entry.resourceType == "websocket"
        if isWebSocket { summary.webSockets += 1 }
        var event = builder.request(
            method: entry.method?.uppercased() ?? "GET", scheme: scheme, host: address.host, port: address.port,
            target: String(target), fields: fields, kind: isWebSocket ? .upgrade : .request, source: .har,
            client: client, time: started.date)
        if let status = entry.status, status > 0 {
            var response = ResponseHeaderFields(entry.responseHeaders)
            if response.contentType == nil, let mimeType = entry.mimeType, !mimeType.isEmpty {
                response.contentType = mimeType
            }
            if response.setCookies.isEmpty, !entry.responseCookies.isEmpty {
                // Only when no Set-Cookie header is listed: headers are the truth, `cookies`
                // arrays are often incomplete.
                response.setCookies = entry.responseCookies.map { Self.setCookieLine($0, receivedAt: started.date) }
            }
            if response.location == nil, let redirect = entry.redirectURL, !redirect.isEmpty {
                response.location = redirect
            }
            builder.addResponse(status: status, fields: response, to: &event, time: started.date)
        }
        event.failure = entry.error
        event.duration = max(0, (entry.time ?? 0) / 1000)
        event.bytesUp = Int64(max(0, entry.requestBodySize ?? 0))
        let down = [entry.transferSize, entry.responseBodySize, entry.contentSize].compactMap { $0 }.first { $0 > 0 }
        event.bytesDown = Int64(down ?? 0)
        return event
    }

    /// Chrome's `_resourceType` in Sec-Fetch-Dest words, for HARs without fetch metadata.
    static func fetchDestination(ofResourceType type: String) -> String? {
        switch type {
        case "document": return "document"
        case "script": return "script"
        case "stylesheet": return "style"
        case "image": return "image"
        case "font": return "font"
        case "media": return "video"
        case "xhr", "fetch", "ping", "eventsource", "preflight", "beacon": return "empty"
        case "manifest": return "manifest"
        case "websocket": return "websocket"
        default: return nil
        }
    }

    /// A `cookies` entry written back as the Set-Cookie header it came from.
    static func setCookieLine(_ cookie: HAREntry.Cookie, receivedAt time: Date) -> String {
        var line = "\(cookie.name)=\(cookie.value)"
        if let domain = cookie.domain, !domain.isEmpty { line += "; Domain=\(domain)" }
        if let path = cookie.path, !path.isEmpty { line += "; Path=\(path)" }
        if let expires = cookie.expires.flatMap(ISO8601Time.parse) {
            line += "; Max-Age=\(Int(expires.date.timeIntervalSince(time).rounded()))"
        }
        if cookie.secure { line += "; Secure" }
        if cookie.httpOnly { line += "; HttpOnly" }
        if let sameSite = cookie.sameSite, !sameSite.isEmpty { line += "; SameSite=\(sameSite)" }
        return line
    }
}
