/// The resource type of a request, in the vocabulary of filter lists (`$script`, `$image`, …):
/// from Sec-Fetch-Dest when the browser sent it, otherwise inferred from Accept, the response's
/// content type and the path's extension, in that order.
public enum RequestType: String, Sendable, Codable, CaseIterable {
    case document, subdocument, stylesheet, script, image, font, media, object, xmlhttprequest, ping, websocket,
        other

    public static func infer(for event: RequestEvent) -> RequestType {
        if event.kind == .upgrade { return .websocket }
        if event.kind == .tunnel { return .other }
        if let dest = event.secFetchDest?.lowercased(), let type = fromFetchDestination(dest) { return type }
        if let accept = event.accept, let type = fromAccept(accept) { return type }
        if let contentType = event.contentType, let type = fromContentType(contentType) { return type }
        if let path = event.path, let type = fromExtension(ofPath: path) { return type }
        return .other
    }

    /// https://fetch.spec.whatwg.org/#concept-request-destination
    static func fromFetchDestination(_ dest: String) -> RequestType? {
        switch dest {
        case "document": .document
        case "iframe", "frame", "fencedframe": .subdocument
        case "style": .stylesheet
        case "script", "worker", "sharedworker", "serviceworker", "audioworklet", "paintworklet", "xslt": .script
        case "image": .image
        case "font": .font
        case "audio", "video", "track": .media
        case "embed", "object": .object
        // fetch(), XMLHttpRequest and sendBeacon all say "empty"; lists call them xmlhttprequest.
        case "empty", "json", "webidentity": .xmlhttprequest
        case "report": .ping
        case "manifest": .other
        default: nil
        }
    }

    /// Browsers send specific Accept headers per destination (Fetch §5.2 "fetch ... Accept").
    static func fromAccept(_ accept: String) -> RequestType? {
        let first = Self.firstField(of: accept, separator: ",")
        if first.hasPrefix("text/html") || first.hasPrefix("application/xhtml") { return .document }
        if first.hasPrefix("text/css") { return .stylesheet }
        if first.hasPrefix("image/") { return .image }
        if first.hasPrefix("font/") || first.hasPrefix("application/font") { return .font }
        if first.hasPrefix("video/") || first.hasPrefix("audio/") { return .media }
        return nil
    }

    static func fromContentType(_ contentType: String) -> RequestType? {
        let type = Self.firstField(of: contentType, separator: ";")
        switch type {
        case "text/html", "application/xhtml+xml": return .document
        case "text/css": return .stylesheet
        case "application/javascript", "text/javascript", "application/x-javascript", "application/ecmascript",
            "text/ecmascript":
            return .script
        case "application/json": return .xmlhttprequest
        default: break
        }
        if type.hasPrefix("image/") { return .image }
        if type.hasPrefix("font/") || type.hasSuffix("woff") || type.hasSuffix("woff2") { return .font }
        if type.hasPrefix("video/") || type.hasPrefix("audio/") { return .media }
        return nil
    }

    static func fromExtension(ofPath path: String) -> RequestType? {
        // Runs for most events on the recorder's thread: index scans, no split arrays.
        var file = path[..<(path.utf8.firstIndex(of: UInt8(ascii: "?")) ?? path.endIndex)]
        if let slash = file.utf8.lastIndex(of: UInt8(ascii: "/")) { file = file[file.utf8.index(after: slash)...] }
        guard let dot = file.utf8.lastIndex(of: UInt8(ascii: ".")) else { return nil }
        switch file[file.utf8.index(after: dot)...].lowercased() {
        case "js", "mjs": return .script
        case "css": return .stylesheet
        case "png", "jpg", "jpeg", "gif", "webp", "avif", "svg", "ico", "bmp": return .image
        case "woff", "woff2", "ttf", "otf", "eot": return .font
        case "mp4", "webm", "mp3", "m4a", "ogg", "m3u8", "ts": return .media
        case "html", "htm": return .document
        case "json": return .xmlhttprequest
        default: return nil
        }
    }

    /// The text before the first `separator`, trimmed and lower-cased (`text/html` of
    /// `Text/HTML; charset=utf-8`).
    private static func firstField(of value: String, separator: Unicode.Scalar) -> String {
        let end = value.utf8.firstIndex(of: UInt8(ascii: separator)) ?? value.endIndex
        return value[..<end].trimmingSpaces.lowercased()
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var slice = self
        while slice.first == " " { slice.removeFirst() }
        while slice.last == " " { slice.removeLast() }
        return slice
    }
}
