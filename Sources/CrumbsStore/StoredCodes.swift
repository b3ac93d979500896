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
        "CASE \(column) "
            + table.enumerated().map { "WHEN '\($0.element.rawValue)' THEN \($0.offset)" }
            .joined(separator: " ") + " END"
    }

    /// Sec-Fetch-Site, -Mode and -Dest as one name (`cross-site␟no-cors␟image`): they come in
    /// a few dozen combinations, so one id in place of three. Nil when none was sent.
    static func fetchMetadata(_ site: String?, _ mode: String?, _ dest: String?) -> String? {
        guard site != nil || mode != nil || dest != nil else { return nil }
        return [site ?? "", mode ?? "", dest ?? ""].joined(separator: "\u{1F}")
    }

    /// The three values back from `fetchMetadata`'s name (an empty part is nil).
    static func fetchMetadata(_ stored: String?) -> (site: String?, mode: String?, dest: String?) {
        guard let stored else { return (nil, nil, nil) }
        let parts = stored.split(separator: "\u{1F}", omittingEmptySubsequences: false).map {
            $0.isEmpty ? nil : String($0)
        }
        return (parts.count > 0 ? parts[0] : nil, parts.count > 1 ? parts[1] : nil, parts.count > 2 ? parts[2] : nil)
    }

    /// The lists that matched, the rule and where it is, as one name
    /// (`easyprivacy,crumbs-trackers␟||tracker.example^␟easyprivacy.txt:12`): a rule comes with
    /// the same lists and location every time. Nil when the classifier named none of them.
    static func rule(lists: [String], rule: String?, location: String?) -> String? {
        guard !lists.isEmpty || rule != nil || location != nil else { return nil }
        return [lists.joined(separator: ","), rule ?? "", location ?? ""].joined(separator: "\u{1F}")
    }

    /// The three back from `rule(lists:rule:location:)`'s name.
    static func rule(_ stored: String?) -> (lists: [String], rule: String?, location: String?) {
        guard let stored else { return ([], nil, nil) }
        let parts = stored.split(separator: "\u{1F}", omittingEmptySubsequences: false).map(String.init)
        let part = { (index: Int) in parts.count > index && !parts[index].isEmpty ? parts[index] : nil }
        return ((part(0) ?? "").split(separator: ",").map(String.init), part(1), part(2))
    }

    /// The port a scheme implies; `event.port` is NULL when it is this one.
    static func defaultPort(_ scheme: String) -> Int? {
        switch scheme {
        case "https", "wss": 443
        case "http", "ws": 80
        default: nil
        }
    }

    /// `CASE scheme … END`: `defaultPort` in SQL, on a scheme name.
    static func sqlDefaultPort(_ scheme: String) -> String {
        "CASE \(scheme) WHEN 'https' THEN 443 WHEN 'wss' THEN 443 WHEN 'http' THEN 80 WHEN 'ws' THEN 80 END"
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
