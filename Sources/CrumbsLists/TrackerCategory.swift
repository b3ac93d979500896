/// What a third-party host does for (or to) the page that loads it, in Crumbs' own scheme.
///
/// Every list has its own words (Disconnect "FingerprintingInvasive", DuckDuckGo "Audience
/// Measurement"…); `TrackerCategory+Mapping.swift` maps them onto these cases so that a digest
/// can count and colour by one vocabulary. The raw values are the spellings used in
/// `Blocklists/crumbs-trackers.tsv` and in JSON output.
public enum TrackerCategory: String, Sendable, CaseIterable, Codable, Comparable {
    /// Measures visitors for the site (Google Analytics, Adobe Analytics, Chartbeat).
    case analytics
    /// Serves, bids on, targets or measures ads (DoubleClick, The Trade Desk, Criteo).
    case advertising
    /// Share buttons, social widgets and the social networks' pixels (AddThis, facebook.net).
    case social
    /// Loads other scripts on the site's behalf (Google Tag Manager, Tealium).
    case tagManager
    /// Records what the visitor does on the page for replay (Hotjar, FullStory, Clarity).
    case sessionReplay
    /// Identifies the browser from its properties rather than from cookies.
    case fingerprinting
    /// CDNs, fonts, embeds and other content the page needs (cdnjs, Google Fonts, YouTube embeds).
    case content
    /// Cookie-consent banners and consent-management platforms (OneTrust, Cookiebot).
    case consent
    /// Mines cryptocurrency in the visitor's browser.
    case cryptomining
    /// Email marketing and tracking pixels (Mailchimp, Klaviyo).
    case email
    /// Listed as a tracker with no more specific category; dropped when a specific one is known.
    case other

    /// The order in which one category is picked to stand for a host, most telling first:
    /// a tag manager that also serves ads is shown as a tag manager, a social network's pixel as
    /// social, an analytics script that fingerprints as analytics (README §2.1 suggests
    /// Social > Analytics > Advertising > Fingerprinting; the rarer, more specific roles go first).
    public static let displayPriority: [TrackerCategory] = [
        .cryptomining, .sessionReplay, .tagManager, .consent, .social, .analytics, .advertising,
        .fingerprinting, .email, .content, .other,
    ]

    /// Parses the spelling used in Crumbs files (`tagManager`); case-insensitive, and accepts
    /// `tag-manager` / `session_replay` so hand-edited lists are forgiving.
    public init?(name: some StringProtocol) {
        let folded = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        guard let match = Self.allCases.first(where: { $0.rawValue.lowercased() == folded }) else { return nil }
        self = match
    }

    /// Position in declaration order: the bit in `TrackerCategorySet` and the sort order. A switch,
    /// because the synthesized `allCases` builds an array on every call.
    var ordinal: UInt16 {
        switch self {
        case .analytics: 0
        case .advertising: 1
        case .social: 2
        case .tagManager: 3
        case .sessionReplay: 4
        case .fingerprinting: 5
        case .content: 6
        case .consent: 7
        case .cryptomining: 8
        case .email: 9
        case .other: 10
        }
    }

    var bit: UInt16 { UInt16(1) << ordinal }

    public static func < (lhs: TrackerCategory, rhs: TrackerCategory) -> Bool {
        lhs.ordinal < rhs.ordinal
    }
}

/// A set of `TrackerCategory` kept in one integer, so a lookup can return it without allocating.
///
/// Iterates in `TrackerCategory.allCases` order; encodes as a JSON array of names.
public struct TrackerCategorySet: Sendable, Hashable, Sequence, ExpressibleByArrayLiteral, Codable,
    CustomStringConvertible
{
    public private(set) var rawValue: UInt16

    public init() { rawValue = 0 }

    public init(_ categories: some Sequence<TrackerCategory>) {
        rawValue = 0
        for category in categories { insert(category) }
    }

    public init(arrayLiteral elements: TrackerCategory...) {
        self.init(elements)
    }

    init(rawValue: UInt16) { self.rawValue = rawValue }

    public var isEmpty: Bool { rawValue == 0 }
    public var count: Int { rawValue.nonzeroBitCount }

    public func contains(_ category: TrackerCategory) -> Bool { rawValue & category.bit != 0 }

    public mutating func insert(_ category: TrackerCategory) { rawValue |= category.bit }

    public mutating func remove(_ category: TrackerCategory) { rawValue &= ~category.bit }

    public mutating func formUnion(_ other: TrackerCategorySet) { rawValue |= other.rawValue }

    public func union(_ other: TrackerCategorySet) -> TrackerCategorySet {
        TrackerCategorySet(rawValue: rawValue | other.rawValue)
    }

    /// The one category to show for a host, by `TrackerCategory.displayPriority`.
    public var primary: TrackerCategory? {
        TrackerCategory.displayPriority.first { contains($0) }
    }

    /// `other` means "a tracker, kind unknown": once a specific category is known it says nothing.
    var withoutRedundantOther: TrackerCategorySet {
        var copy = self
        if copy.count > 1 { copy.remove(.other) }
        return copy
    }

    public func makeIterator() -> IndexingIterator<[TrackerCategory]> {
        TrackerCategory.allCases.filter { contains($0) }.makeIterator()
    }

    /// Comma-separated raw values, the form of the curated list's third column.
    public var description: String { map(\.rawValue).joined(separator: ",") }

    public init(from decoder: any Decoder) throws {
        self.init(try [TrackerCategory](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try Array(self).encode(to: encoder)
    }
}
