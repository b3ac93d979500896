import CrumbsModel
import CrumbsReports
import Foundation
import HTTPTypes
import Hummingbird

/// The live page: the last requests, drawn by the server (readable without script), then kept
/// current by `live.js` from `/live/events`, a server-sent event stream with the page's filters.
extension Dashboard {
    /// Requests on the first screen, and at most per message of the stream.
    static let liveRows = 50
    /// How often an open stream looks for new requests: at most two messages a second reach the
    /// page, whatever the traffic.
    static let livePoll = Duration.milliseconds(500)
    /// Open streams at once (a page left open in many tabs must not cost the proxy).
    static let liveStreams = 16

    static func liveFilter(_ request: Request) -> LiveFilter {
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? {
            query.get(name).flatMap { $0.isEmpty ? nil : $0 }
        }
        return LiveFilter(
            device: value("device"), company: value("company"), category: value("category"),
            trackersOnly: value("trackers") == "1")
    }

    func live(_ request: Request) throws -> Response {
        let c = catalog(request)
        let filter = Self.liveFilter(request)
        let batch = feed.latest(matching: filter, limit: Self.liveRows)
        let everything = feed.latest(matching: LiveFilter(), limit: feed.capacity).requests
        let names = try data.deviceNames()
        func options(_ values: some Sequence<String>, selected: String?) -> [[String: Any]] {
            Set(values).union(selected.map { [$0] } ?? []).sorted().map { value in
                let label = names[value].map { "\($0) (\(value))" } ?? value
                return ["value": value, "label": label, "selected": value == selected]
            }
        }
        var object = layout(.live, c, title: c.text("dashboard.liveTitle"), path: "/live")
        let labels: [String: String] = [
            "all": "live.all", "apply": "live.apply", "caption": "live.caption", "empty": "live.empty",
            "guess": "live.guess", "yes": "live.yes", "no": "live.no", "pauseLabel": "live.pause",
            "resumeLabel": "live.resume", "timeLabel": "live.time", "hostLabel": "live.host", "siteLabel": "live.site",
            "trackerLabel": "live.tracker", "cookiesLabel": "live.cookies", "deviceLabel": "dashboard.device",
            "companyLabel": "live.company", "categoryLabel": "live.category", "trackersLabel": "live.trackersOnly",
            "heldText": "live.held", "skippedText": "live.skipped", "closedText": "live.closed",
            "statusText": "live.updating",
        ]
        Self.add(labels, c, to: &object)
        object["devices"] = options(everything.map(\.device), selected: filter.device)
        object["companies"] = options(everything.compactMap(\.company), selected: filter.company)
        object["categories"] = options(everything.flatMap(\.categories), selected: filter.category)
        object["trackersOnly"] = filter.trackersOnly
        object["after"] = String(batch.last)
        object["stream"] = "/live/events?" + Self.query(filter)
        object["requests"] = batch.requests.reversed().map { Self.row($0, c, names: names) }
        object["scripts"] = ["/static/live.js"]
        return html("live", object)
    }

    /// The filter as a query string (its values percent-encoded).
    static func query(_ filter: LiveFilter) -> String {
        var items = [URLQueryItem]()
        if let device = filter.device { items.append(URLQueryItem(name: "device", value: device)) }
        if let company = filter.company { items.append(URLQueryItem(name: "company", value: company)) }
        if let category = filter.category { items.append(URLQueryItem(name: "category", value: category)) }
        if filter.trackersOnly { items.append(URLQueryItem(name: "trackers", value: "1")) }
        var components = URLComponents()
        components.queryItems = items
        // `+` would read as a space in a query; URLComponents leaves it as is.
        return (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
    }

    static func row(_ request: LiveRequest, _ c: Catalog, names: [String: String]) -> [String: Any] {
        [
            "time": clock(request.time), "device": names[request.device] ?? request.device, "host": request.host,
            "site": request.site ?? "", "guessed": request.guessed, "guess": c.text("live.guess"),
            "company": request.company ?? "", "categories": request.categories.joined(separator: ", "),
            "tracker": request.tracker, "trackerText": c.text(request.tracker ? "live.yes" : "live.no"),
            "cookies": request.cookies.joined(separator: ", "),
        ]
    }

    /// Hours, minutes and seconds in the machine's time zone, as both languages write them.
    static func clock(_ time: Date) -> String {
        let parts = Calendar.current.dateComponents([.hour, .minute, .second], from: time)
        return String(format: "%02d:%02d:%02d", parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }

    /// The stream: one `requests` event per poll that found something (id = the last sequence,
    /// so a reconnecting browser resumes where it was), a comment every 15 s to keep it open, and
    /// an `end` event when Crumbs stops.
    func liveEvents(_ request: Request) -> Response {
        guard feed.streams < Self.liveStreams else {
            return Response(
                status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8", .retryAfter: "10"],
                body: .init(byteBuffer: ByteBuffer(string: "Too many live pages are open.\n")))
        }
        let filter = Self.liveFilter(request)
        let resume = request.headers[HTTPField.Name("Last-Event-ID")!] ?? request.uri.queryParameters.get("after")
        let names = (try? data.deviceNames()) ?? [:]
        let feed = self.feed
        return Response(
            status: .ok,
            headers: [.contentType: "text/event-stream; charset=utf-8", HTTPField.Name("X-Accel-Buffering")!: "no"],
            body: ResponseBody { writer in
                // The place is taken here, where it is also given back: a client gone before its
                // body started would otherwise hold it for ever.
                guard feed.subscribe(limit: Self.liveStreams) else {
                    try await writer.write(ByteBuffer(string: "event: end\ndata: {}\n\n"))
                    try await writer.finish(nil)
                    return
                }
                defer { feed.unsubscribe() }
                var after = resume.flatMap { UInt64($0) } ?? feed.latest(matching: filter, limit: 0).last
                try await writer.write(ByteBuffer(string: "retry: 3000\n\n"))
                var quiet = Duration.zero
                while !Task.isCancelled {
                    let batch = feed.since(after, matching: filter, limit: Self.liveRows)
                    after = batch.last
                    if batch.finished {
                        try await writer.write(ByteBuffer(string: "event: end\ndata: {}\n\n"))
                        break
                    }
                    if !batch.requests.isEmpty {
                        let message = LiveMessage(
                            requests: batch.requests.map { LiveMessage.Row($0, names: names) }, skipped: batch.skipped)
                        let json = String(decoding: try JSONEncoder().encode(message), as: UTF8.self)
                        try await writer.write(ByteBuffer(string: "id: \(after)\nevent: requests\ndata: \(json)\n\n"))
                        quiet = .zero
                    } else if quiet >= .seconds(15) {
                        try await writer.write(ByteBuffer(string: ": still here\n\n"))
                        quiet = .zero
                    }
                    try await Task.sleep(for: Self.livePoll)
                    quiet += Self.livePoll
                }
                try await writer.finish(nil)
            })
    }
}

/// One message of the live stream, as `live.js` reads it.
struct LiveMessage: Encodable {
    struct Row: Encodable {
        var time: String
        var device: String
        var host: String
        var site: String?
        var guessed: Bool
        var company: String?
        var categories: [String]
        var tracker: Bool
        var cookies: [String]

        init(_ request: LiveRequest, names: [String: String]) {
            time = Dashboard.clock(request.time)
            device = names[request.device] ?? request.device
            host = request.host
            site = request.site
            guessed = request.guessed
            company = request.company
            categories = request.categories
            tracker = request.tracker
            cookies = request.cookies
        }
    }

    var requests: [Row]
    var skipped: Int
}
