/// What parsing one entity or category list kept and skipped, with where the list came from.
///
/// Counts are always complete; only the first `sampleLimit` skipped entries are kept as samples.
public struct EntityListReport: Sendable, Hashable, CustomStringConvertible {
    /// Why an entry of a list was skipped.
    public enum SkipReason: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// Not a host name once `*.` and a trailing dot are removed (`http://x`, `a..b`, spaces).
        case invalidDomain
        /// A URL path (`yandex.ru/ads/`) where a domain belongs: a domain map cannot hold it.
        case pathEntry
        /// A company or widget without a usable name.
        case missingName
        /// A value of the wrong JSON type (a number where a domain list belongs).
        case wrongType
        /// The same domain given a second time (to another company, or twice in a file).
        case duplicateDomain
        /// A curated-list category that is not a `TrackerCategory`.
        case unknownCategory
        /// A curated-list line without the required tab-separated columns.
        case malformedLine

        public var description: String { rawValue }
    }

    /// One skipped entry: where it was (`Advertising/Google`, `line 12`), what, and why.
    public struct SkippedEntry: Sendable, Hashable {
        public var location: String
        public var text: String
        public var reason: SkipReason
    }

    public static let sampleLimit = 20

    /// A human name for the list (`Disconnect entities.json`).
    public let list: String
    /// The file it was read from; nil when parsed from text.
    public let path: String?
    /// Entries that became facts (domains, trackers, widget hosts, lines).
    public internal(set) var kept = 0
    public internal(set) var skippedByReason: [SkipReason: Int] = [:]
    public internal(set) var skippedSamples: [SkippedEntry] = []
    /// Upstream category names that the mapping tables do not know, with how often they were
    /// seen; those entries were kept as `.other`.
    public internal(set) var unknownCategories: [String: Int] = [:]

    init(list: String, path: String?) {
        self.list = list
        self.path = path
    }

    public var skipped: Int { skippedByReason.values.reduce(0, +) }

    public var description: String {
        var text = "\(list)"
        if let path { text += " (\(path))" }
        text += ": \(kept) kept, \(skipped) skipped"
        let reasons = SkipReason.allCases.compactMap { reason in skippedByReason[reason].map { "\(reason): \($0)" } }
        if !reasons.isEmpty { text += " (" + reasons.joined(separator: ", ") + ")" }
        if !unknownCategories.isEmpty {
            text += "; unknown categories: " + unknownCategories.keys.sorted().joined(separator: ", ")
        }
        return text
    }

    mutating func skip(_ reason: SkipReason, at location: String, _ text: String) {
        skippedByReason[reason, default: 0] += 1
        if skippedSamples.count < Self.sampleLimit {
            skippedSamples.append(SkippedEntry(location: location, text: text, reason: reason))
        }
    }

    mutating func noteUnknownCategory(_ name: String) {
        unknownCategories[name, default: 0] += 1
    }
}
