import CrumbsLists
import Foundation

/// `crumbs lists --json`: what `crumbs lists` shows, for scripts and the dashboard.
enum ListsJSON {
    private struct Document: Encodable {
        var lists: [List]
        var warnings: [String]
    }

    private struct List: Encodable {
        var name: String
        var path: String
        var kind: String
        var source: String
        var licence: String
        /// The file's modification date, YYYY-MM-DD.
        var date: String?
        var counts: [String: Int]
        var skipped: Int
        var skippedLines: [String]?
    }

    static func render(_ entries: [ListCatalog.Entry], warnings: [String], withSkippedLines: Bool) throws -> String {
        let day = DateFormatter()
        day.dateFormat = "yyyy-MM-dd"
        day.locale = Locale(identifier: "en_US_POSIX")
        let lists = entries.map { entry in
            List(
                name: entry.name, path: entry.path, kind: entry.kind, source: entry.origin, licence: entry.licence,
                date: entry.modified.map(day.string(from:)),
                counts: Dictionary(entry.counts, uniquingKeysWith: +), skipped: entry.skipped,
                skippedLines: withSkippedLines ? entry.skippedLines : nil)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return String(decoding: try encoder.encode(Document(lists: lists, warnings: warnings)), as: UTF8.self)
    }
}
