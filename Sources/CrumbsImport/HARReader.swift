/// Walks a HAR document as it streams: `log.creator`, `log.browser` and `log.pages` are kept
/// (small), each of `log.entries` is decoded and handed on, then forgotten. Anything else is
/// skipped unread. A JSON error anywhere ends the read; an entry with impossible values is
/// handed on with its `problem` set, so the caller can count it and go on.
final class HARReader {
    struct Log {
        var creator: HARCreator?
        var browser: HARCreator?
        var pages: [HARPage] = []
        var sawEntries = false
        /// `pages` came after `entries` in the file (no exporter we know does it, but JSON allows it).
        var pagesAfterEntries = false
    }

    let stream: JSONStream
    private(set) var log = Log()

    init(stream: JSONStream) {
        self.stream = stream
    }

    /// Bytes read from the input so far.
    var bytesRead: Int { stream.bytesRead }

    /// Reads the document; `beforeEntries` runs once, when the entries begin (pages read so far
    /// are then in `log`), and `entry` for each entry in file order.
    func read(beforeEntries: (Log) throws -> Void, entry: (HAREntry) throws -> Void) throws {
        guard try stream.peekToken() == UInt8(ascii: "{") else {
            if try stream.peekToken() == nil { throw ImportError(file: stream.name, .notHAR("the file is empty")) }
            throw ImportError(file: stream.name, .notHAR("the document is not a JSON object"))
        }
        var root = try stream.beginObject()
        var sawLog = false
        while let key = try stream.nextKey(&root) {
            guard key == "log", try stream.peekToken() == UInt8(ascii: "{") else {
                try stream.skipValue()
                continue
            }
            sawLog = true
            try readLog(beforeEntries: beforeEntries, entry: entry)
        }
        if try stream.peekToken() != nil { throw stream.error("unexpected data after the document") }
        guard sawLog else { throw ImportError(file: stream.name, .notHAR("no \"log\" object")) }
        guard log.sawEntries else { throw ImportError(file: stream.name, .notHAR("no \"log.entries\" array")) }
    }

    private func readLog(beforeEntries: (Log) throws -> Void, entry: (HAREntry) throws -> Void) throws {
        var object = try stream.beginObject()
        while let key = try stream.nextKey(&object) {
            switch key {
            case "creator": log.creator = try readCreator()
            case "browser": log.browser = try readCreator()
            case "pages":
                log.pages = try readPages()
                log.pagesAfterEntries = log.sawEntries
            case "entries" where try stream.peekToken() == UInt8(ascii: "["):
                log.sawEntries = true
                try beforeEntries(log)
                var entries = try stream.beginArray()
                var index = 0
                while try stream.nextElement(&entries) {
                    try entry(readEntry(index: index))
                    index += 1
                }
            default: try stream.skipValue()
            }
        }
    }

    private func readCreator() throws -> HARCreator? {
        guard try stream.peekToken() == UInt8(ascii: "{") else {
            try stream.skipValue()
            return nil
        }
        var creator = HARCreator(name: "", version: "")
        var object = try stream.beginObject()
        while let key = try stream.nextKey(&object) {
            switch key {
            case "name": creator.name = try stream.readScalarText() ?? ""
            case "version": creator.version = try stream.readScalarText() ?? ""
            default: try stream.skipValue()
            }
        }
        return creator
    }

    private func readPages() throws -> [HARPage] {
        guard try stream.peekToken() == UInt8(ascii: "[") else {
            try stream.skipValue()
            return []
        }
        var pages: [HARPage] = []
        var array = try stream.beginArray()
        while try stream.nextElement(&array) {
            guard try stream.peekToken() == UInt8(ascii: "{") else {
                try stream.skipValue()
                continue
            }
            var page = HARPage(id: "")
            var object = try stream.beginObject()
            while let key = try stream.nextKey(&object) {
                switch key {
                case "id": page.id = try stream.readScalarText() ?? ""
                case "title": page.title = try stream.readStringIfPresent()
                case "startedDateTime": page.startedDateTime = try stream.readStringIfPresent()
                default: try stream.skipValue()
                }
            }
            if !page.id.isEmpty { pages.append(page) }
        }
        return pages
    }
}
