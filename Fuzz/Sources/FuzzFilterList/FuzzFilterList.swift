import CrumbsLists

/// Filter-list text (Adblock Plus / EasyPrivacy syntax, hosts files): any file a user names or a
/// download brings. The list is parsed, compiled and asked about a few requests, so that the
/// matcher also runs over whatever rules the parser let through.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFilterList(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let list = FilterList(text: text, name: "fuzz")
    for line in list.skippedLines { precondition(line.line >= 1) }
    let engine = FilterEngine(lists: [list])
    for (url, type) in requests {
        let request = FilterRequest(
            url: url, sourceHost: "www.news.example", sourceSite: "news.example", type: type, isThirdParty: true)
        _ = engine.decide(request)
    }
    return 0
}

private let requests: [(String, ResourceType)] = [
    ("https://www.google-analytics.com/g/collect?v=2&tid=G-1&cid=123.456", .xmlhttprequest),
    ("http://ads.tracker.example:8080/pixel.gif?uid=abc", .image),
    ("https://cdn.news.example/app.js", .script),
]
