import CrumbsModel
import Foundation

/// A daily (or any-range) account of who watched the user: the value behind every digest format.
///
/// Built from the store's `ActivitySummary` plus the totals of earlier days; pure, so the same
/// value renders as markdown, text, JSON and HTML, and the JSON is the value itself
/// (`Schemas/digest.schema.json` documents it).
public struct Digest: Sendable, Equatable, Codable {
    /// Bumped whenever the JSON shape changes incompatibly.
    public static let currentSchemaVersion = 1

    public var schemaVersion: Int
    public var period: DigestPeriod
    /// The one sentence a person wants first.
    public var headline: String
    public var totals: ActivityTotals
    /// Companies by reach (share of the sites visited), widest first.
    public var companies: [CompanyReach]
    /// Sites visited, most pages first, with who was on them.
    public var sites: [SiteReport]
    public var new: NewInPeriod
    public var trend: Trend
    public var caveat: AttributionCaveat
    /// Requests per hour of the period.
    public var hourly: [HourCount]
    /// Cookies and identifiers (names and counts only); nil when the cookie heuristics did not run.
    public var cookies: CookieSummary?
    /// The privacy levels and retention the store was kept at, when the writer knew them.
    public var recording: Recording?
    /// The language of `headline` when not English ("fr"); absent for English.
    public var language: String?

    /// What the store keeps, and for how long: a reader must know what a digest could not see.
    public struct Recording: Sendable, Equatable, Codable {
        /// full, hosts or sites.
        public var record: String
        /// addresses, pseudonyms or none.
        public var clients: String
        /// Days of events kept; 0 keeps everything.
        public var retentionDays: Int

        public init(record: String, clients: String, retentionDays: Int) {
            self.record = record
            self.clients = clients
            self.retentionDays = retentionDays
        }
    }

    /// One company and the sites it saw.
    public struct CompanyReach: Sendable, Equatable, Codable {
        public var name: String
        /// Sites it was seen on divided by sites visited, 0...1.
        public var reach: Double
        public var sites: [String]
        public var requests: Int
        public var trackerRequests: Int
        public var categories: [String]
        public var trackerHosts: [String]
    }

    /// One site visited and the third parties on it.
    public struct SiteReport: Sendable, Equatable, Codable {
        public var site: String
        public var pages: Int
        public var requests: Int
        public var trackerRequests: Int
        /// Companies seen as third parties on this site, sorted.
        public var companies: [String]
        /// Third-party hosts flagged as trackers, sorted.
        public var trackers: [String]
        /// Hosts in the `social` category (share buttons, social widgets and pixels).
        public var shareButtons: [String]
        /// Hosts in the `analytics` category.
        public var analytics: [String]
    }

    /// What was seen for the first time.
    public struct NewInPeriod: Sendable, Equatable, Codable {
        /// False when nothing older is stored: then everything is "new" and says little.
        public var hasEarlierData: Bool
        public var companies: [String]
        public var trackerHosts: [String]
    }

    /// This period beside the day before it and the average of the seven days before it.
    public struct Trend: Sendable, Equatable, Codable {
        public var previousDay: ActivityTotals?
        public var sevenDayAverage: AverageTotals?
    }

    /// Mean daily counts over `days` recorded days.
    public struct AverageTotals: Sendable, Equatable, Codable {
        public var days: Int
        public var sites: Double
        public var companies: Double
        public var trackerRequests: Double
    }

    /// Requests in one hour starting at `start`.
    public struct HourCount: Sendable, Equatable, Codable {
        public var start: Date
        public var requests: Int
        public var trackerRequests: Int
    }
}

/// The time a digest covers, and how to speak of it.
public struct DigestPeriod: Sendable, Equatable, Codable {
    /// The local day, when the digest covers exactly one.
    public var day: Day?
    public var start: Date
    public var end: Date
    /// IANA name of the time zone the day and hours are in.
    public var timeZone: String
    /// How the headline names it: "Yesterday", "Today", "On 2026-11-20", "From … to …".
    public var phrase: String

    /// One local day; `today` decides whether it is called "Today" or "Yesterday".
    public init(day: Day, today: Day, timeZone: TimeZone) {
        let interval = day.interval(in: timeZone)
        self.day = day
        self.start = interval.start
        self.end = interval.end
        self.timeZone = timeZone.identifier
        switch today.days(to: day) {
        case 0: phrase = "Today"
        case -1: phrase = "Yesterday"
        default: phrase = "On \(day)"
        }
    }

    /// Any range; times print in `timeZone`.
    public init(start: Date, end: Date, timeZone: TimeZone) {
        self.day = nil
        self.start = start
        self.end = end
        self.timeZone = timeZone.identifier
        phrase = "From \(LocalTime.minute(start, timeZone)) to \(LocalTime.minute(end, timeZone))"
    }

    var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")! }

    /// "2026-11-23" for a day, "2026-11-20 08:00 – 2026-11-23 08:00" otherwise; a day in
    /// words in other languages than English (whose digests keep the ISO date).
    func title(_ c: Catalog) -> String {
        if let day { return c.language == .en ? day.description : c.date(day) }
        return "\(LocalTime.minute(start, zone)) – \(LocalTime.minute(end, zone))"
    }

    /// The phrase without the selection the CLI may add to it ("Today (HAR only)" → "Today").
    private var basePhrase: Substring {
        phrase.range(of: " (").map { phrase[..<$0.lowerBound] } ?? phrase[...]
    }

    var isToday: Bool { basePhrase == "Today" }

    /// How the headline names the period in `c`'s language ("Yesterday", « Hier », « Le 7
    /// décembre 2026 »…), with the selection the CLI added. The stored `phrase` is English.
    func phrase(_ c: Catalog) -> String {
        guard c.language != .en else { return phrase }
        let selection = phrase.dropFirst(basePhrase.count)
        let base: String
        switch basePhrase {
        case "Today": base = c.text("period.today")
        case "Yesterday": base = c.text("period.yesterday")
        default:
            if let day {
                base = c.text("period.on", ["day": c.date(day)])
            } else {
                base = c.text(
                    "period.range", ["start": LocalTime.minute(start, zone), "end": LocalTime.minute(end, zone)])
            }
        }
        return base + selection
    }
}

/// Local wall-clock formatting without locale surprises (digests are compared with golden files).
enum LocalTime {
    static func components(_ date: Date, _ zone: TimeZone) -> DateComponents {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
    }

    static func minute(_ date: Date, _ zone: TimeZone) -> String {
        let c = components(date, zone)
        return "\(Day(year: c.year!, month: c.month!, day: c.day!)) \(two(c.hour!)):\(two(c.minute!))"
    }

    static func hour(_ date: Date, _ zone: TimeZone) -> String {
        two(components(date, zone).hour!)
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
