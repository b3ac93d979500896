import CrumbsModel

extension HARReader {
    /// One entry. A value of the wrong type is skipped and noted in `problem` when the entry
    /// cannot do without it; JSON syntax errors throw.
    func readEntry(index: Int) throws -> HAREntry {
        var entry = HAREntry(index: index)
        guard try stream.peekToken() == UInt8(ascii: "{") else {
            try stream.skipValue()
            entry.problem = "not an object"
            return entry
        }
        var object = try stream.beginObject()
        while let key = try stream.nextKey(&object) {
            switch key {
            case "pageref": entry.pageref = try stream.readScalarText()
            case "startedDateTime": entry.startedDateTime = try stream.readStringIfPresent()
            case "time": entry.time = try stream.readNumberIfPresent()
            case "request": try readRequest(into: &entry)
            case "response": try readResponse(into: &entry)
            case "serverIPAddress": entry.serverIPAddress = try stream.readStringIfPresent()
            case "_resourceType": entry.resourceType = try stream.readStringIfPresent()?.lowercased()
            case "_initiator": entry.initiatorURL = try readInitiator()
            case "_fromCache": entry.fromCache = try readPresence()
            case "_fetchType":
                // Safari: "Network Load", "Memory Cache", "Disk Cache".
                entry.fromCache = try stream.readStringIfPresent()?.lowercased().contains("cache") ?? false
            case "_error": entry.error = try stream.readStringIfPresent()
            case "_webSocketMessages":
                // The messages are never read: only that the entry is a WebSocket.
                entry.isWebSocket = try !stream.nextIsNull()
                try stream.skipValue()
            default: try stream.skipValue()
            }
        }
        if entry.url == nil || entry.url?.isEmpty == true {
            entry.problem = "no request URL"
        } else if let time = entry.time, time < 0 {
            entry.problem = "negative time (\(time))"
        } else if entry.startedDateTime == nil {
            entry.problem = "no startedDateTime"
        }
        return entry
    }

    private func readRequest(into entry: inout HAREntry) throws {
        guard try stream.peekToken() == UInt8(ascii: "{") else {
            try stream.skipValue()
            return
        }
        var object = try stream.beginObject()
        while let key = try stream.nextKey(&object) {
            switch key {
            case "method": entry.method = try stream.readStringIfPresent()
            case "url": entry.url = try stream.readStringIfPresent()
            case "headers": entry.requestHeaders = try readHeaders(keeping: Self.isReadRequestHeader)
            case "cookies": entry.requestCookies = try readCookies()
            case "bodySize": entry.requestBodySize = try stream.readNumberIfPresent()
            // postData, queryString, headersSize, httpVersion: not needed, skipped unread.
            default: try stream.skipValue()
            }
        }
    }

    private func readResponse(into entry: inout HAREntry) throws {
        guard try stream.peekToken() == UInt8(ascii: "{") else {
            try stream.skipValue()
            return
        }
        var object = try stream.beginObject()
        while let key = try stream.nextKey(&object) {
            switch key {
            case "status": entry.status = try stream.readNumberIfPresent().flatMap { Int(exactly: $0.rounded()) }
            case "headers": entry.responseHeaders = try readHeaders(keeping: Self.isReadResponseHeader)
            case "cookies": entry.responseCookies = try readCookies()
            case "content": try readContent(into: &entry)
            case "redirectURL": entry.redirectURL = try stream.readStringIfPresent()
            case "bodySize": entry.responseBodySize = try stream.readNumberIfPresent()
            case "_transferSize": entry.transferSize = try stream.readNumberIfPresent()
            case "_error": entry.error = try stream.readStringIfPresent() ?? entry.error
            case "_fromCache": entry.fromCache = try readPresence() || entry.fromCache
            default: try stream.skipValue()
            }
        }
    }

    /// `content.mimeType` and `content.size`; `content.text` (the body) is skipped unread.
    private func readContent(into entry: inout HAREntry) throws {
        guard try stream.peekToken() == UInt8(ascii: "{") else {
            try stream.skipValue()
            return
        }
        var object = try stream.beginObject()
        while let key = try stream.nextKey(&object) {
            switch key {
            case "mimeType": entry.mimeType = try stream.readStringIfPresent()
            case "size": entry.contentSize = try stream.readNumberIfPresent()
            default: try stream.skipValue()
            }
        }
    }

    /// The headers `keep` accepts (by name, any case): the others' values are skipped, not
    /// decoded, so that user agents, dates and cache headers cost a scan and no allocation.
    private func readHeaders(keeping keep: (String) -> Bool) throws -> [EventBuilderHeader] {
        guard try stream.peekToken() == UInt8(ascii: "[") else {
            try stream.skipValue()
            return []
        }
        var headers: [EventBuilderHeader] = []
        var array = try stream.beginArray()
        while try stream.nextElement(&array) {
            guard try stream.peekToken() == UInt8(ascii: "{") else {
                try stream.skipValue()
                continue
            }
            var name: String?
            var value: String?
            var object = try stream.beginObject()
            while let key = try stream.nextKey(&object) {
                switch key {
                case "name": name = try stream.readStringIfPresent()
                // Usually after the name, so that an unread header's value is skipped.
                case "value" where name.map(keep) ?? true: value = try stream.readScalarText()
                default: try stream.skipValue()
                }
            }
            if let name, keep(name) { headers.append((name, value ?? "")) }
        }
        return headers
    }

    private func readCookies() throws -> [HAREntry.Cookie] {
        guard try stream.peekToken() == UInt8(ascii: "[") else {
            try stream.skipValue()
            return []
        }
        var cookies: [HAREntry.Cookie] = []
        var array = try stream.beginArray()
        while try stream.nextElement(&array) {
            guard try stream.peekToken() == UInt8(ascii: "{") else {
                try stream.skipValue()
                continue
            }
            var cookie = HAREntry.Cookie()
            var object = try stream.beginObject()
            while let key = try stream.nextKey(&object) {
                switch key {
                case "name": cookie.name = try stream.readScalarText() ?? ""
                case "value": cookie.value = try stream.readScalarText() ?? ""
                case "path": cookie.path = try stream.readStringIfPresent()
                case "domain": cookie.domain = try stream.readStringIfPresent()
                case "expires": cookie.expires = try stream.readScalarText()
                case "httpOnly": cookie.httpOnly = try stream.readBoolIfPresent() ?? false
                case "secure": cookie.secure = try stream.readBoolIfPresent() ?? false
                case "sameSite": cookie.sameSite = try stream.readStringIfPresent()
                default: try stream.skipValue()
                }
            }
            if !cookie.name.isEmpty { cookies.append(cookie) }
        }
        return cookies
    }

    /// The request headers `EventBuilder` reads (RequestHeaderFields), and Location for redirects.
    static func isReadRequestHeader(_ name: String) -> Bool {
        switch name.utf8.count {
        case 6:
            return name.utf8.equalsIgnoringASCIICase("cookie") || name.utf8.equalsIgnoringASCIICase("origin")
                || name.utf8.equalsIgnoringASCIICase("accept")
        case 7: return name.utf8.equalsIgnoringASCIICase("referer")
        case 14: return name.utf8.starts(with: "sec-fetch-".utf8) || name.utf8.starts(with: "Sec-Fetch-".utf8)
        default: return false
        }
    }

    /// The response headers `EventBuilder` reads (ResponseHeaderFields).
    static func isReadResponseHeader(_ name: String) -> Bool {
        switch name.utf8.count {
        case 8: return name.utf8.equalsIgnoringASCIICase("location")
        case 10: return name.utf8.equalsIgnoringASCIICase("set-cookie")
        case 12: return name.utf8.equalsIgnoringASCIICase("content-type")
        default: return false
        }
    }

    /// Chrome writes `{"type": "parser", "url": …}`, WebPageTest a bare URL string.
    private func readInitiator() throws -> String? {
        switch try stream.peekToken() {
        case UInt8(ascii: "\""): return try stream.readString()
        case UInt8(ascii: "{"):
            var url: String?
            var object = try stream.beginObject()
            while let key = try stream.nextKey(&object) {
                if key == "url" { url = try stream.readStringIfPresent() } else { try stream.skipValue() }
            }
            return url
        default:
            try stream.skipValue()
            return nil
        }
    }

    /// A flag some exporters write as a string ("memory", "disk"), others as a boolean.
    private func readPresence() throws -> Bool {
        switch try stream.peekToken() {
        case UInt8(ascii: "\""): return try !stream.readString().isEmpty
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return try stream.readBoolIfPresent() ?? false
        default:
            try stream.skipValue()
            return false
        }
    }
}
