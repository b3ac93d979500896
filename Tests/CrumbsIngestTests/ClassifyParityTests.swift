import CrumbsIngest
import CrumbsLists
import CrumbsModel
import Foundation
import Testing

@testable import crumbs

/// `crumbs classify` and the recorder must give the same verdict for the same request, on real
/// EasyList/EasyPrivacy rules that need the query string or a page's host name (`domain=`):
/// the recorder classifies the whole request, before the query is stripped for storage.
struct ClassifyParityTests {
    static let lists = Result { try loadLists() }

    private static func loadLists() throws -> LoadedLists {
        let easylist = URL(
            fileURLWithPath:
                "/usr/share/mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/uBlock0@raymondhill.net/assets/thirdparties/easylist"
        )
        let psl = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/Reference/psl/effective_tld_names-2025-10-24.dat")
        let filters = try ["easylist.txt", "easyprivacy.txt"].map {
            try FilterList(contentsOf: easylist.appendingPathComponent($0), name: $0)
        }
        return LoadedLists(
            publicSuffixes: try PublicSuffixList(contentsOf: psl), filters: FilterEngine(lists: filters),
            entities: .empty)
    }

    struct Case: Sendable, CustomStringConvertible {
        var url: String
        var page: String?
        var dest: String
        var tracker: Bool
        var description: String { "\(url) from \(page ?? "nowhere")" }
    }

    static let cases: [Case] = [
        // EasyPrivacy `&ev=PageView&`: only the query says so.
        Case(
            url: "http://px.somesite.test/t?id=1&ev=PageView&noscript=1", page: "http://news.test/", dest: "image",
            tracker: true),
        Case(
            url: "http://px.somesite.test/t?id=1&noscript=1", page: "http://news.test/", dest: "image", tracker: false),
        // EasyPrivacy `/collect?v=`.
        Case(
            url: "https://stats.shop.test/collect?v=2&tid=G-123", page: "https://shop.test/", dest: "empty",
            tracker: true),
        // `||ssl.pstatic.net/static.news/*/js/generated/aside.statistics.js$domain=media.naver.com|
        // news.naver.com`: the page's host name counts, not its site.
        Case(
            url: "https://ssl.pstatic.net/static.news/2025/js/generated/aside.statistics.js",
            page: "https://news.naver.com/main", dest: "script", tracker: true),
        Case(
            url: "https://ssl.pstatic.net/static.news/2025/js/generated/aside.statistics.js",
            page: "https://www.naver.com/", dest: "script", tracker: false),
        // A top-level visit to a host a list blocks without type options (a bounce tracker).
        Case(url: "https://00px.net/r?u=x", page: nil, dest: "document", tracker: true),
    ]

    @Test(arguments: cases) func classifyAndTheRecorderAgree(_ request: Case) throws {
        let lists = try Self.lists.get()
        // crumbs classify
        var line = #"{"url":"\#(request.url)","type":"\#(request.dest == "empty" ? "xmlhttprequest" : request.dest)""#
        if let page = request.page { line += #","sourceUrl":"\#(page)""# }
        let verdict = ClassifyCommand.classify(line + "}", with: RequestClassifier(lists: lists))
        // the recorder: builder, then stage
        let builder = EventBuilder(
            siteResolver: lists.publicSuffixes, keepQuery: false, hasher: CookieHasher(secret: Data(count: 32)))
        let url = try #require(URLComponents(string: request.url))
        var headers: [EventBuilder.Header] = [(name: "Sec-Fetch-Dest", value: request.dest)]
        if let page = request.page { headers.append((name: "Referer", value: page)) }
        let event = builder.request(
            method: "GET", scheme: url.scheme!, host: url.host!, port: url.scheme == "https" ? 443 : 80,
            target: url.percentEncodedPath + (url.percentEncodedQuery.map { "?" + $0 } ?? ""), headers: headers,
            source: .proxy, client: "127.0.0.1", time: Date())
        let recorded = try #require(IngestStage(classifier: EventClassifier(lists: lists)).process([event]).first)
        let classification = try #require(recorded.classification)
        #expect(verdict.tracker == request.tracker, "classify: \(verdict)")
        #expect(classification.isTracker == request.tracker, "recorder: \(classification)")
        #expect(classification.rule == verdict.rule)
        #expect(recorded.path == url.percentEncodedPath && recorded.detail == nil, "the query is not stored")
    }
}
