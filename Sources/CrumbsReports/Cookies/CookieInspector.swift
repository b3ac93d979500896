import CrumbsModel
import Foundation

/// Finds third-party cookies, identifier-like cookies, cross-site identifiers, identifier leaks
/// and cookie syncing in classified events. Pure: works on `RequestEvent`s (from the store's
/// `cookieEvidence`, a HAR file or a test) and compares keyed hashes, never values.
///
/// A *party* is the registrable domain of a host (the host itself when it has none, as for an IP
/// address). Two parties that the classifier files under one company (`isSameOwner`, or the same
/// `company`) are not counted as different parties for leaks and syncing.
///
/// The identifier rule follows Englehardt et al., "Cookies that give you away: The surveillance
/// implications of web tracking" (WWW 2015, §4.2) and "Online Tracking: A 1-million-site
/// Measurement and Analysis" (CCS 2016, §6.1). They call a cookie an identifier when (1) it lives
/// at least three months, (2) its value is 8 to 100 characters long, (3) its value stays the same
/// across a measurement, and (4) its values differ between two unrelated browsers (Ratcliff-
/// Obershelp similarity under 66%). One browser cannot run test (4), so Crumbs takes estimated
/// randomness in its place (`minimumEntropyBits`), and takes "sent with the same value on two or
/// more days" as the evidence of (1) and (3) for session cookies and cookies set by script, whose
/// lifetime Crumbs never sees.
public struct CookieInspector: Sendable {
    /// Value lengths (bytes) that can hold an identifier (Englehardt et al.: 8 to 100).
    public static let identifierLengths = IdentifierTokens.minimumLength...IdentifierTokens.maximumLength
    /// Shortest lifetime of a persistent identifier: Englehardt et al.'s three months.
    public static let minimumLifetimeDays = 90.0
    /// Least `IdentifierTokens.entropyBits` (length × Shannon entropy per byte) of an identifier.
    ///
    /// Calibrated on typical values: a UUID scores 122–137 bits, `_ga` (`GA1.2.873245019.1732461234`)
    /// 82–90, 16 random hex digits 44, 12 random letters and digits 43; below the line fall a
    /// millisecond timestamp (`1732467123456`, 36), `en_US.UTF-8` (36), `accepted_all` (35),
    /// `country=DE` (33), a date (25), a Unix timestamp (9–25), `true` (8). The price: random
    /// values shorter than about 12 characters also fall below, because the per-byte estimate
    /// cannot exceed log2(length); long structured values (consent strings) pass this test and
    /// rely on the lifetime and same-value tests instead.
    public static let minimumEntropyBits = IdentifierTokens.minimumEntropyBits
    /// Distinct days a session cookie must be sent with one value to count as persistent.
    public static let minimumDaysResent = 2
    /// First-party sites one value must be sent from to be a cross-site identifier.
    public static let minimumCrossSites = 2

    /// Most parties whose cookies may hold one value (or part) for it to count as an identifier in
    /// leaks and syncing. Cookie values are split into parts, and a part such as the Unix time
    /// inside `_ga` (`GA1.2.873245019.1732461234`) can recur in the cookies of many sites; an
    /// identifier belongs to one party, or to a few after a sync or a cross-domain link (`_gl`).
    public static let maximumPartiesSharingAValue = 3

    /// Time zone that decides where a day starts (for "sent on two days").
    public var timeZone: TimeZone
    /// Host → registrable domain; the CLI passes its Public Suffix List.
    private let siteOf: @Sendable (String) -> String?

    public init(timeZone: TimeZone = TimeZone(identifier: "UTC")!, siteOf: @escaping @Sendable (String) -> String?) {
        self.timeZone = timeZone
        self.siteOf = siteOf
    }

    /// Uses a `SiteResolver` (the Public Suffix List) for registrable domains.
    public init(timeZone: TimeZone = TimeZone(identifier: "UTC")!, resolver: any SiteResolver) {
        self.init(timeZone: timeZone) { resolver.site(ofHost: $0) }
    }

    /// Whether a value of this length and estimated randomness can be an identifier. Empty values,
    /// flags, timestamps and locale strings cannot.
    public static func looksLikeIdentifier(length: Int, entropyBits: Double) -> Bool {
        IdentifierTokens.mayBeIdentifier(length: length, entropyBits: entropyBits)
    }

    /// Runs every heuristic over `events`; events without cookies or URL tokens are skipped.
    public func inspect(_ events: [RequestEvent]) -> CookieReport {
        let inspected = events.compactMap { InspectedEvent(inspector: self, $0) }
        let companies = CompanyIndex(inspected)
        let identifiers = IdentifierFinder(inspected, companies: companies)
        let transfers = TransferFinder(inspected, companies: companies, partyOf: party(ofHost:))
        return CookieReport(
            thirdPartyCookies: ThirdPartyCookieTally(inspected, companies: companies).cookies,
            identifierCookies: identifiers.identifierCookies,
            crossSiteIdentifiers: identifiers.crossSiteIdentifiers,
            identifierLeaks: transfers.leaks,
            cookieSyncs: transfers.syncs,
            eventsInspected: inspected.count)
    }

    /// The party of `host`: its registrable domain, else the host itself (IP addresses).
    func party(ofHost host: String) -> String {
        let host = host.lowercased()
        return siteOf(host) ?? host
    }

    /// Days since 1970 in `timeZone`.
    func dayNumber(_ date: Date) -> Int {
        let local = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        return Int((local / 86_400).rounded(.down))
    }
}

/// A cookie name of one party: the unit that third-party and identifier cookies are reported in.
struct PartyCookie: Hashable {
    var party: String
    var name: String
}

/// One event with what every heuristic needs about it, worked out once.
struct InspectedEvent {
    let event: RequestEvent
    /// Party of the requested host.
    let party: String
    let day: Int
    /// The classifier called it third party (same-owner traffic is not).
    let thirdParty: Bool
    let firstPartySite: String?

    init?(inspector: CookieInspector, _ event: RequestEvent) {
        guard !event.cookiesSent.isEmpty || !event.cookiesSet.isEmpty || !event.urlTokens.isEmpty else { return nil }
        self.event = event
        party = inspector.party(ofHost: event.host)
        day = inspector.dayNumber(event.time)
        let classification = event.classification
        thirdParty = classification?.isThirdParty == true
        firstPartySite = classification?.firstPartySite.flatMap { $0.isEmpty ? nil : $0.lowercased() }
    }
}

/// The company behind each party, as the classifier named it on that party's events.
struct CompanyIndex {
    private var companies: [String: String] = [:]

    init(_ events: [InspectedEvent]) {
        var votes: [String: [String: Int]] = [:]
        for item in events {
            guard let company = item.event.classification?.company, !company.isEmpty else { continue }
            votes[item.party, default: [:]][company, default: 0] += 1
        }
        // Most frequent; ties go to the smallest name so that reports are deterministic.
        for (party, counts) in votes {
            companies[party] = counts.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        }
    }

    subscript(party: String) -> String? { companies[party] }

    /// Different registrable domains that the lists file under one company.
    func sameOwner(_ a: String, _ b: String) -> Bool {
        guard let first = companies[a], let second = companies[b] else { return false }
        return first == second
    }
}
