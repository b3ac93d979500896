import CrumbsModel
import Foundation

/// Small integer codes for the model's closed vocabularies, as stored in `event` and
/// `classification` (a code is one byte, often zero bytes, where the name was up to 18).
///
/// A code, once shipped, never changes meaning: new cases get new codes at the end.
enum StoredCode {
    static let kinds: [RequestEvent.Kind] = [.request, .tunnel, .upgrade, .dnsQuery, .tlsHello, .tunnelOpened]
    static let sources: [RequestEvent.Source] = [.proxy, .intercepted, .har, .capture]
    static let attributions: [Classification.Attribution] = [
        .navigation, .referer, .origin, .parentFrame, .timeWindow, .inferredNavigation, .recordedPage, .unattributed,
    ]
    static let confidences: [Classification.Confidence] = [.none, .low, .medium, .high]

    static func code(_ kind: RequestEvent.Kind) -> Int { kinds.firstIndex(of: kind)! }
    static func code(_ source: RequestEvent.Source) -> Int { sources.firstIndex(of: source)! }
    static func code(_ attribution: Classification.Attribution) -> Int { attributions.firstIndex(of: attribution)! }
    static func code(_ confidence: Classification.Confidence) -> Int { confidences.firstIndex(of: confidence)! }

    /// The value of `code` in `table`, or an error naming what could not be read (a store written
    /// by a newer version).
    static func decode<T>(_ code: Int, in table: [T], _ what: String) throws -> T {
        guard table.indices.contains(code) else {
            throw StoredValueError(description: "unknown \(what) code \(code)")
        }
        return table[code]
    }

    /// `CASE column WHEN 'name' THEN code … END`: names to codes in SQL (the v8 migration).
    static func sqlCase<T: RawRepresentable>(_ column: String, _ table: [T]) -> String where T.RawValue == String {
        "CASE \(column) " + table.enumerated().map { "WHEN '\($0.element.rawValue)' THEN \($0.offset)" }
            .joined(separator: " ") + " END"
    }

    /// Milliseconds since 1970 (UTC), as `event.time` holds it: rounded to the nearest, for
    /// stored times and range bounds alike, so a bound and an event at the same instant agree.
    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
