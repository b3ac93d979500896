import CrumbsLocalization
import NIOCore
import NIOHTTP1

/// A complete response the proxy writes itself: error pages, the PAC file, the status page.
struct ProxyResponse {
    var status: HTTPResponseStatus
    var contentType: String
    var body: String
    /// A binary body (an image), sent instead of `body` when set.
    var bodyBytes: [UInt8]?
    var extraHeaders: [(String, String)] = []
    /// What an error page says, kept to draw it again in the asking browser's language.
    var error: (title: String, detail: String)?

    private var contentLength: Int { bodyBytes?.count ?? body.utf8.count }

    private func writeBody(to buffer: inout ByteBuffer) {
        if let bodyBytes { buffer.writeBytes(bodyBytes) } else { buffer.writeString(body) }
    }

    /// A short HTML page naming what went wrong. Every dynamic part is escaped: host names and
    /// reasons come from the network. In French the title and a sentence saying what happened
    /// come from the catalog; the technical detail stays as the log and the store have it.
    static func errorPage(
        _ status: HTTPResponseStatus, title: String, detail: String, language: Language = .en
    ) -> ProxyResponse {
        let c = Catalog(language)
        let localTitle = language == .en ? title : c.text("proxy.status.\(status.code)", fallback: title)
        var paragraphs = ""
        if language != .en, case let explanation = c.text("proxy.explain.\(status.code)", fallback: ""),
            !explanation.isEmpty
        {
            paragraphs += "<p>\(explanation.htmlEscaped)</p>\n"
            paragraphs += "<p>\(c.text("proxy.detail").htmlEscaped) <code>\(detail.htmlEscaped)</code></p>"
        } else {
            paragraphs += "<p>\(detail.htmlEscaped)</p>"
        }
        let body = """
            <!doctype html><html lang="\(language.rawValue)"><head><meta charset="utf-8">\
            <title>\(status.code) \(localTitle.htmlEscaped)</title></head>
            <body><h1>\(status.code) \(localTitle.htmlEscaped)</h1>\(paragraphs)
            <hr><p><small>\(c.text("proxy.footer").htmlEscaped)</small></p></body></html>

            """
        var response = ProxyResponse(status: status, contentType: "text/html; charset=utf-8", body: body)
        response.error = (title, detail)
        return response
    }

    /// This response for a browser that sent `headers`: an error page in its language.
    func localized(for headers: HTTPHeaders) -> ProxyResponse {
        guard let error else { return self }
        let language = LanguageChoice.choose(query: nil, acceptLanguage: headers.first(name: "accept-language"))
        guard language != .en else { return self }
        var page = Self.errorPage(status, title: error.title, detail: error.detail, language: language)
        page.extraHeaders = extraHeaders
        return page
    }

    /// The whole response as bytes, for the one case the HTTP encoder cannot frame: an error
    /// answer to CONNECT, whose body the encoder would drop (it treats every CONNECT response as
    /// bodiless, while RFC 9110 §9.3.6 gives non-2xx answers a body).
    func serialized(version: HTTPVersion, allocator: ByteBufferAllocator) -> ByteBuffer {
        let head = head(version: version, close: true)
        var buffer = allocator.buffer(capacity: 256 + contentLength)
        buffer.writeString("HTTP/\(version.major).\(version.minor) \(head.status.code) \(head.status.reasonPhrase)\r\n")
        for (name, value) in head.headers { buffer.writeString("\(name): \(value)\r\n") }
        buffer.writeString("\r\n")
        writeBody(to: &buffer)
        return buffer
    }

    /// Head, body and end, as the HTTP encoder takes them.
    func parts(version: HTTPVersion, close: Bool, allocator: ByteBufferAllocator) -> [HTTPServerResponsePart] {
        var buffer = allocator.buffer(capacity: contentLength)
        writeBody(to: &buffer)
        return [.head(head(version: version, close: close)), .body(.byteBuffer(buffer)), .end(nil)]
    }

    func head(version: HTTPVersion, close: Bool) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: String(contentLength))
        headers.add(name: "Cache-Control", value: "no-store")
        for (name, value) in extraHeaders { headers.add(name: name, value: value) }
        if close {
            headers.add(name: "Connection", value: "close")
        } else if version == .http1_0 {
            headers.add(name: "Connection", value: "keep-alive")
        }
        return HTTPResponseHead(version: version, status: status, headers: headers)
    }
}
