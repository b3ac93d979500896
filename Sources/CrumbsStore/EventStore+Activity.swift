import CrumbsModel
import Foundation
import GRDB

// Aggregates for digests, computed by SQLite (GROUP BY over event ⋈ classification within a time
// range found through the time index), never by loading events: a day of a busy household is tens
// of thousands of events, and a month is a million.

extension EventStore {
    /// Everything a digest needs about `since <= time < until`, read in one snapshot.
    /// `sources`: only events observed by these (nil: every source); `clients`: only events of
    /// these clients (nil: every client).
    public func activity(
        since: Date, until: Date, sources: Set<RequestEvent.Source>? = nil, clients: Set<String>? = nil
    ) throws -> ActivitySummary {
        let range = Self.range(since: since, until: until, sources: sources, clients: clients)
        do {
            return try writer.read { db in
                let grouped = try SiteHostRows(db, range)
                let (sites, uses, companies) = (grouped.sites, grouped.thirdPartyUses, grouped.companies)
                let (hourly, caveat) = try Self.hourly(db, range, since: since, until: until)
                let hasEarlierData =
                    try Bool.fetchOne(
                        db, sql: "SELECT EXISTS (SELECT 1 FROM event WHERE time < ?)",
                        arguments: [StoredCode.milliseconds(since)]) ?? false
                // The headline counts follow from the grouped rows: no extra pass over the range.
                let totals = ActivityTotals(
                    requests: hourly.reduce(0) { $0 + $1.requests }, pages: sites.reduce(0) { $0 + $1.pages },
                    sites: sites.count, companies: companies.count,
                    trackerRequests: sites.reduce(0) { $0 + $1.trackerRequests })
                return ActivitySummary(
                    interval: DateInterval(start: since, end: max(since, until)),
                    totals: totals,
                    sites: sites,
                    companies: companies,
                    thirdParties: uses,
                    newCompanies: hasEarlierData
                        ? try Self.newCompanies(db, range, since: since) : companies.map(\.name).sorted(),
                    newTrackerHosts: try Self.newTrackerHosts(db, range, since: hasEarlierData ? since : nil),
                    hasEarlierData: hasEarlierData,
                    caveat: caveat,
                    hourly: hourly
                )
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// The headline counts of `since <= time < until` (for trends over earlier days).
    public func totals(
        since: Date, until: Date, sources: Set<RequestEvent.Source>? = nil, clients: Set<String>? = nil
    ) throws -> ActivityTotals {
        do {
            return try writer.read { db in
                try Self.totals(db, Self.range(since: since, until: until, sources: sources, clients: clients))
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// The time of the oldest stored event, or nil for an empty store.
    public func firstEventTime() throws -> Date? {
        do {
            return try writer.read { db in
                try Int64.fetchOne(db, sql: "SELECT MIN(time) FROM event").map(StoredCode.date(milliseconds:))
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    // MARK: - Queries. `range` binds the six `?` of `inRange`.

    /// Events in the range with their classification (if any), through the time index, from the
    /// selected sources and clients: each pair of parameters is "" (all) or the values, each
    /// between separators (a space for sources' codes; unit separator U+001F for clients' names,
    /// which are free text when they are an import's device label). Times are milliseconds.
    static let inRange = """
        FROM event e LEFT JOIN classification c ON c.event_id = e.id WHERE e.time >= ? AND e.time < ? \
        AND \(scoped)
        """

    /// The source and client conditions of `inRange`, four parameters.
    static let scoped = """
        (? = '' OR instr(?, ' ' || e.source || ' ') > 0) \
        AND (? = '' OR instr(?, char(31) || \(party("e.client")) || char(31)) > 0)
        """

    /// The arguments of `inRange`.
    static func range(
        since: Date, until: Date, sources: Set<RequestEvent.Source>?, clients: Set<String>? = nil
    ) -> StatementArguments {
        let codes =
            sources.map { " " + $0.map { String(StoredCode.code($0)) }.sorted().joined(separator: " ") + " " } ?? ""
        // An empty set selects nothing: a separator alone matches no client.
        let clientList = clients.map { "\u{1F}" + $0.sorted().joined(separator: "\u{1F}") + "\u{1F}" } ?? ""
        return [
            StoredCode.milliseconds(since), StoredCode.milliseconds(until), codes, codes, clientList, clientList,
        ]
    }
    /// A first party known with high or medium confidence: what the headline counts.
    static let confident = "(c.first_party_site IS NOT NULL AND c.confidence >= \(StoredCode.code(.medium)))"
    static let lowConfidence = "(c.first_party_site IS NOT NULL AND c.confidence = \(StoredCode.code(.low)))"
    /// A top-level page load. (The id of `document` is looked up once per statement.)
    static let page = "(c.attribution = \(StoredCode.code(.navigation)) OR c.request_type = \(nameID("document")))"

    /// Filters on confident rows first and aggregates only those: this runs for each of the
    /// seven days of a trend, so it is kept to one cheap pass (about 27 ms for 33,000 events).
    static func totals(_ db: Database, _ range: StatementArguments) throws -> ActivityTotals {
        let sql = """
            SELECT COALESCE(SUM(\(page)), 0), COUNT(DISTINCT c.first_party_site),
              COUNT(DISTINCT CASE WHEN c.third_party THEN c.company END), COALESCE(SUM(c.tracker), 0)
            FROM event e JOIN classification c ON c.event_id = e.id
            WHERE e.time >= ? AND e.time < ? AND \(scoped)
              AND c.confidence >= \(StoredCode.code(.medium)) AND c.first_party_site IS NOT NULL
            """
        let count = "SELECT COUNT(*) FROM event e WHERE time >= ? AND time < ? AND \(scoped)"
        let requests = try Int.fetchOne(db, sql: count, arguments: range)
        guard let row = try Row.fetchOne(db, sql: sql, arguments: range) else { return ActivityTotals() }
        return ActivityTotals(
            requests: requests ?? 0, pages: row[0], sites: row[1], companies: row[2], trackerRequests: row[3])
    }

    /// Companies in the range with no event before it. The distinct names come first, so the
    /// `NOT EXISTS` probe (company index, oldest event first) runs once per company.
    static func newCompanies(_ db: Database, _ range: StatementArguments, since: Date) throws -> [String] {
        let sql = """
            SELECT \(name("company_id")) AS company_name FROM (
              SELECT DISTINCT c.company AS company_id \(inRange) AND \(confident) AND c.third_party AND c.company IS NOT NULL
            ) WHERE NOT EXISTS (
              SELECT 1 FROM classification p JOIN event pe ON pe.id = p.event_id
              WHERE p.company = company_id AND pe.time < ?
            ) ORDER BY company_name
            """
        return try String.fetchAll(db, sql: sql, arguments: range + [StoredCode.milliseconds(since)])
    }

    /// Tracker hosts in the range with no event before `since` (all of them when `since` is nil).
    static func newTrackerHosts(_ db: Database, _ range: StatementArguments, since: Date?) throws -> [String] {
        let earlier = since != nil ? "WHERE NOT EXISTS (SELECT 1 FROM event p WHERE p.host = h AND p.time < ?)" : ""
        let sql = """
            SELECT \(party("h")) AS host_name FROM (SELECT DISTINCT e.host AS h \(inRange) AND \(confident) AND c.tracker)
            \(earlier) ORDER BY host_name
            """
        return try String.fetchAll(
            db, sql: sql, arguments: since.map { range + [StoredCode.milliseconds($0)] } ?? range)
    }

    /// No first party, or one known only with `none` confidence, or no classification at all.
    static let unattributed = "(c.first_party_site IS NULL OR c.confidence < \(StoredCode.code(.low)))"

    /// Requests per hour, and in the same pass the low-confidence and unattributed counts.
    static func hourly(_ db: Database, _ range: StatementArguments, since: Date, until: Date) throws
        -> ([HourActivity], AttributionCaveat)
    {
        let sql = """
            SELECT (e.time - ?) / 3600000, COUNT(*), COALESCE(SUM(c.tracker), 0),
              SUM(\(lowConfidence)), COALESCE(SUM(\(lowConfidence) AND c.tracker), 0),
              SUM(\(unattributed)), COALESCE(SUM(\(unattributed) AND c.tracker), 0)
            \(inRange) GROUP BY 1
            """
        var byHour: [Int: (Int, Int)] = [:]
        var caveat = AttributionCaveat()
        for row in try Row.fetchAll(db, sql: sql, arguments: [StoredCode.milliseconds(since)] + range) {
            byHour[row[0]] = (row[1], row[2])
            caveat.lowConfidenceRequests += row[3] as Int
            caveat.lowConfidenceTrackerRequests += row[4] as Int
            caveat.unattributedRequests += row[5] as Int
            caveat.unattributedTrackerRequests += row[6] as Int
        }
        let companies = """
            SELECT \(name("c.company")) AS company_name, COUNT(*) \(inRange) AND NOT \(confident) AND c.company IS NOT NULL
            GROUP BY c.company ORDER BY 2 DESC, 1
            """
        caveat.companies = try Row.fetchAll(db, sql: companies, arguments: range).map {
            CompanyCount(name: $0[0], requests: $0[1])
        }
        // Tunnels the proxy relayed without decrypting (not decrypted ones, not imports), per
        // company in one pass; the totals are the sums over every group, no company included.
        let tunnels = """
            SELECT \(name("c.company")) AS company_name, COUNT(*), COALESCE(SUM(c.tracker), 0)
            \(inRange) AND e.kind = \(StoredCode.code(.tunnel)) AND e.source = \(StoredCode.code(.proxy))
            GROUP BY c.company ORDER BY 2 DESC, 1
            """
        for row in try Row.fetchAll(db, sql: tunnels, arguments: range) {
            let count: Int = row[1]
            caveat.undecryptedConnections += count
            caveat.undecryptedTrackerConnections += row[2] as Int
            if let company: String = row[0] {
                caveat.undecryptedCompanies.append(CompanyCount(name: company, requests: count))
            }
        }
        // A tunnel that is itself an inferred navigation names a site probably visited; those
        // also seen as observed pages are counted above already.
        let guessed = """
            SELECT \(party("site")) AS site_name FROM (
              SELECT DISTINCT c.first_party_site AS site \(inRange)
                AND c.attribution = \(StoredCode.code(.inferredNavigation))
                AND c.first_party_site IS NOT NULL AND NOT c.third_party
              EXCEPT SELECT DISTINCT c.first_party_site \(inRange) AND \(confident)
            ) ORDER BY site_name
            """
        caveat.guessedSites = try String.fetchAll(db, sql: guessed, arguments: range + range)
        let hours = Int((until.timeIntervalSince(since) / 3600).rounded(.up))
        let hourly = (0..<max(0, hours)).map { hour in
            let (requests, trackers) = byHour[hour] ?? (0, 0)
            return HourActivity(hour: hour, requests: requests, trackerRequests: trackers)
        }
        return (hourly, caveat)
    }

    /// `GROUP_CONCAT` of comma-separated category lists → distinct sorted names.
    static func categoryList(_ concatenated: String?) -> [String] {
        guard let concatenated else { return [] }
        return Set(concatenated.split(separator: ",").map(String.init)).sorted()
    }
}
