import CrumbsModel
import Foundation

extension Digest {
    /// Assembles a digest from the store's aggregates.
    ///
    /// - Parameters:
    ///   - previousDay: the totals of the day before, when the store covers it.
    ///   - previousWeek: the totals of each of the seven days before that the store covers
    ///     (days before the first recorded event are left out rather than counted as zero).
    ///   - cookies: what the cookie heuristics found in the period, if they ran.
    public init(
        summary: ActivitySummary, period: DigestPeriod, previousDay: ActivityTotals?, previousWeek: [ActivityTotals],
        cookies: CookieReport? = nil
    ) {
        schemaVersion = Self.currentSchemaVersion
        self.period = period
        totals = summary.totals
        let siteCount = max(1, summary.totals.sites)
        companies = summary.companies.map { company in
            CompanyReach(
                name: company.name, reach: Double(company.sites.count) / Double(siteCount), sites: company.sites,
                requests: company.requests, trackerRequests: company.trackerRequests,
                categories: company.categories, trackerHosts: company.trackerHosts)
        }
        .sorted { ($0.sites.count, $0.requests, $1.name) > ($1.sites.count, $1.requests, $0.name) }
        sites = Self.siteReports(summary)
        new = NewInPeriod(
            hasEarlierData: summary.hasEarlierData, companies: summary.newCompanies,
            trackerHosts: summary.newTrackerHosts)
        trend = Trend(
            previousDay: previousDay,
            sevenDayAverage: previousWeek.isEmpty
                ? nil
                : AverageTotals(
                    days: previousWeek.count,
                    sites: Self.mean(previousWeek.map(\.sites)),
                    companies: Self.mean(previousWeek.map(\.companies)),
                    trackerRequests: Self.mean(previousWeek.map(\.trackerRequests))))
        caveat = summary.caveat
        hourly = summary.hourly.map { hour in
            HourCount(
                start: summary.interval.start.addingTimeInterval(Double(hour.hour) * 3600),
                requests: hour.requests, trackerRequests: hour.trackerRequests)
        }
        self.cookies = cookies.map(CookieSummary.init)
        headline = Self.headline(
            period: period, totals: summary.totals, companies: companies, caveat: summary.caveat)
    }

    /// "Yesterday you visited 37 sites. 21 companies saw you; Alphabet saw 31 of them (84%)."
    /// Counts observations only: a page known by a guess is never a site "you visited" here, and
    /// HTTPS traffic that Crumbs relayed without decrypting is named apart, as what it is.
    static func headline(
        period: DigestPeriod, totals: ActivityTotals, companies: [CompanyReach], caveat: AttributionCaveat,
        _ c: Catalog = Catalog(.en)
    ) -> String {
        let hidden = caveat.undecryptedConnections
        let unseen = hidden == 0 ? "" : c.count("headline.unseen", hidden)
        guard totals.sites > 0 else {
            return c.text("headline.noVisits", ["period": period.phrase(c)]) + unseen
        }
        return observedHeadline(period: period, totals: totals, companies: companies, c) + unseen
    }

    /// The headline in `c`'s language (the stored one is English).
    func headline(_ c: Catalog) -> String {
        c.language == .en
            ? headline
            : Self.headline(period: period, totals: totals, companies: companies, caveat: caveat, c)
    }

    private static func observedHeadline(
        period: DigestPeriod, totals: ActivityTotals, companies: [CompanyReach], _ c: Catalog
    ) -> String {
        let key = period.isToday ? "headline.visitedToday" : "headline.visited"
        var text = c.count(key, totals.sites, ["period": period.phrase(c)])
        guard let widest = companies.first else {
            return text + c.text("headline.noCompany")
        }
        let saw = c.count("headline.companiesSaw", totals.companies)
        if totals.sites == 1 {
            text += c.text("headline.oneSite", ["saw": saw, "company": widest.name])
        } else {
            text += c.text(
                "headline.widest",
                [
                    "saw": saw, "company": widest.name, "sites": c.number(widest.sites.count),
                    "share": c.percent(widest.reach),
                ])
        }
        return text
    }

    static func siteReports(_ summary: ActivitySummary) -> [SiteReport] {
        var uses: [String: [ThirdPartyUse]] = [:]
        for use in summary.thirdParties { uses[use.site, default: []].append(use) }
        return summary.sites.map { site in
            let onSite = uses[site.site] ?? []
            func hosts(_ include: (ThirdPartyUse) -> Bool) -> [String] {
                Set(onSite.filter(include).map(\.host)).sorted()
            }
            return SiteReport(
                site: site.site, pages: site.pages, requests: site.requests, trackerRequests: site.trackerRequests,
                companies: Set(onSite.compactMap(\.company)).sorted(),
                trackers: hosts(\.isTracker),
                shareButtons: hosts { $0.categories.contains("social") },
                analytics: hosts { $0.categories.contains("analytics") })
        }
    }

    static func mean(_ values: [Int]) -> Double {
        values.isEmpty ? 0 : Double(values.reduce(0, +)) / Double(values.count)
    }

    static func count(_ value: Int, _ noun: String, plural: String? = nil) -> String {
        value == 1 ? "1 \(noun)" : "\(value) \(plural ?? noun + "s")"
    }

    /// Whole percent, rounded half up: 0.8378 → "84%".
    static func percent(_ fraction: Double) -> String {
        "\(Int((fraction * 100).rounded()))%"
    }
}
