import CrumbsModel
import Foundation
import Testing

struct RequestTypeTests {
    private func event(
        dest: String? = nil, accept: String? = nil, contentType: String? = nil, path: String? = nil,
        kind: RequestEvent.Kind = .request
    ) -> RequestEvent {
        RequestEvent(
            time: Date(), clientAddress: "127.0.0.1", kind: kind, method: "GET", scheme: "http", host: "h",
            port: 80, path: path, contentType: contentType, secFetchDest: dest, accept: accept
        )
    }

    @Test(arguments: [
        ("document", RequestType.document), ("iframe", .subdocument), ("style", .stylesheet), ("script", .script),
        ("image", .image), ("font", .font), ("video", .media), ("empty", .xmlhttprequest), ("report", .ping),
        ("worker", .script), ("object", .object),
    ])
    func secFetchDestWins(dest: String, expected: RequestType) {
        #expect(RequestType.infer(for: event(dest: dest, accept: "text/css", path: "/x.png")) == expected)
    }

    @Test func acceptThenContentTypeThenExtension() {
        #expect(RequestType.infer(for: event(accept: "image/avif,image/webp,*/*", path: "/x.js")) == .image)
        #expect(RequestType.infer(for: event(accept: "text/css,*/*;q=0.1")) == .stylesheet)
        #expect(RequestType.infer(for: event(accept: "*/*", contentType: "application/javascript")) == .script)
        #expect(RequestType.infer(for: event(accept: "*/*", path: "/a/b/font.woff2?v=1")) == .font)
        #expect(RequestType.infer(for: event(path: "/collect")) == .other)
        #expect(RequestType.infer(for: event(kind: .upgrade)) == .websocket)
        #expect(RequestType.infer(for: event(dest: "document", kind: .tunnel)) == .other)
    }
}
