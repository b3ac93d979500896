import CrumbsModel
import Foundation

/// The digest laid out as titled sections of paragraphs, lists, tables and charts, once, so that
/// markdown, text and HTML say the same things in the same order. Every string here is raw (it
/// may hold a hostile host name); each renderer escapes for its own format.
public struct DigestDocument: Sendable {
    public struct Column: Sendable {
        public var title: String
        public var numeric = false

        public init(title: String, numeric: Bool = false) {
            self.title = title
            self.numeric = numeric
        }
    }

    public struct Table: Sendable {
        public var columns: [Column]
        public var rows: [[String]]

        public init(columns: [Column], rows: [[String]]) {
            self.columns = columns
            self.rows = rows
        }
    }

    /// One bar of a chart.
    public struct Bar: Sendable {
        public var label: String
        public var value: Double
        /// A second, overlaid value (tracker requests within all requests).
        public var part: Double = 0
        public var caption: String
    }

    public struct Chart: Sendable {
        public enum Kind: Sendable { case horizontal, vertical }
        public var kind: Kind
        public var title: String
        public var bars: [Bar]
        /// The bar length that fills the chart (1.0 for shares).
        public var maximum: Double
    }

    public enum Block: Sendable {
        case paragraph(String)
        case list([String])
        case table(Table)
        case chart(Chart)
    }

    public struct Section: Sendable {
        public var title: String
        public var blocks: [Block]

        public init(title: String, blocks: [Block]) {
            self.title = title
            self.blocks = blocks
        }
    }

    public var title: String
    public var headline: String
    public var sections: [Section]
    /// The language it is written in (renderers' own few words, and HTML's `lang`).
    public var catalog = Catalog(.en)
}

extension Digest {
    /// How many companies and sites the tables show; the JSON keeps everything.
    static let tableLimit = 25

    /// The digest laid out in `catalog`'s language (the dashboard draws it too).
    public func document(_ c: Catalog) -> DigestDocument {
        DigestDocument(
            title: c.text("digest.title", ["period": period.title(c)]), headline: headline(c),
            sections: [
                companySection(c), siteSection(c), widgetSection(c), cookieSection(c), newSection(c), trendSection(c),
                hourlySection(c), caveatSection(c),
            ] + (recording.map { [Self.recordingSection($0, c)] } ?? []), catalog: c)
    }

    private func companySection(_ c: Catalog) -> DigestDocument.Section {
        let title = c.text("companies.title")
        guard !companies.isEmpty else {
            return .init(title: title, blocks: [.paragraph(c.text("companies.none"))])
        }
        let shown = companies.prefix(Self.tableLimit)
        let table = DigestDocument.Table(
            columns: [
                .init(title: c.text("column.company")), .init(title: c.text("column.reach"), numeric: true),
                .init(title: c.text("column.sites"), numeric: true),
                .init(title: c.text("column.requests"), numeric: true), .init(title: c.text("column.categories")),
                .init(title: c.text("column.seenOn")),
            ],
            rows: shown.map { company in
                [
                    company.name, c.percent(company.reach), c.number(company.sites.count), c.number(company.requests),
                    company.categories.map(c.category).joined(separator: ", "),
                    Self.shortList(company.sites, c),
                ]
            })
        let chart = DigestDocument.Chart(
            kind: .horizontal, title: c.text("companies.chart"),
            bars: shown.map {
                .init(
                    label: $0.name, value: $0.reach,
                    caption: "\(c.percent($0.reach)) (\(c.number($0.sites.count)))")
            },
            maximum: 1)
        var blocks: [DigestDocument.Block] = [.chart(chart), .table(table)]
        if companies.count > shown.count {
            blocks.append(.paragraph(c.count("companies.more", companies.count - shown.count)))
        }
        return .init(title: title, blocks: blocks)
    }

    private func siteSection(_ c: Catalog) -> DigestDocument.Section {
        let title = c.text("sites.title")
        guard !sites.isEmpty else {
            return .init(title: title, blocks: [.paragraph(c.text("sites.none"))])
        }
        let shown = sites.prefix(Self.tableLimit)
        var blocks: [DigestDocument.Block] = [
            .table(
                .init(
                    columns: [
                        .init(title: c.text("column.site")), .init(title: c.text("column.pages"), numeric: true),
                        .init(title: c.text("column.requests"), numeric: true),
                        .init(title: c.text("column.trackerRequests"), numeric: true),
                        .init(title: c.text("column.companies")),
                    ],
                    rows: shown.map { site in
                        [
                            site.site, c.number(site.pages), c.number(site.requests), c.number(site.trackerRequests),
                            Self.shortList(site.companies, c),
                        ]
                    }))
        ]
        if sites.count > shown.count {
            blocks.append(.paragraph(c.count("sites.more", sites.count - shown.count)))
        }
        return .init(title: title, blocks: blocks)
    }

    private func widgetSection(_ c: Catalog) -> DigestDocument.Section {
        let title = c.text("widgets.title")
        let withWidgets = sites.filter { !$0.shareButtons.isEmpty || !$0.analytics.isEmpty }
        guard !withWidgets.isEmpty else {
            return .init(title: title, blocks: [.paragraph(c.text("widgets.none"))])
        }
        return .init(
            title: title,
            blocks: [
                .table(
                    .init(
                        columns: [
                            .init(title: c.text("column.site")), .init(title: c.text("column.shareButtons")),
                            .init(title: c.text("column.analytics")),
                        ],
                        rows: withWidgets.prefix(Self.tableLimit).map { site in
                            [
                                site.site, Self.shortList(site.shareButtons, c, empty: "-"),
                                Self.shortList(site.analytics, c, empty: "-"),
                            ]
                        }))
            ])
    }

    private func newSection(_ c: Catalog) -> DigestDocument.Section {
        let title = c.text("new.title")
        guard new.hasEarlierData else {
            return .init(
                title: title,
                blocks: [
                    .paragraph(
                        c.text(
                            "new.nothingOlder",
                            [
                                "companies": c.count("count.company", new.companies.count),
                                "hosts": c.count("count.trackerHost", new.trackerHosts.count),
                            ]))
                ])
        }
        var items: [String] = []
        if !new.companies.isEmpty {
            items.append(c.text("new.companies", ["list": Self.shortList(new.companies, c)]))
        }
        if !new.trackerHosts.isEmpty {
            items.append(c.text("new.trackerHosts", ["list": Self.shortList(new.trackerHosts, c)]))
        }
        return .init(title: title, blocks: items.isEmpty ? [.paragraph(c.text("new.none"))] : [.list(items)])
    }

    private func trendSection(_ c: Catalog) -> DigestDocument.Section {
        let title = c.text("trend.title")
        guard trend.previousDay != nil || trend.sevenDayAverage != nil else {
            return .init(title: title, blocks: [.paragraph(c.text("trend.none"))])
        }
        let average = trend.sevenDayAverage
        func row(_ name: String, _ value: KeyPath<ActivityTotals, Int>, _ mean: KeyPath<AverageTotals, Double>)
            -> [String]
        {
            [
                name, c.number(totals[keyPath: value]), trend.previousDay.map { c.number($0[keyPath: value]) } ?? "-",
                average.map { c.decimal($0[keyPath: mean]) } ?? "-",
            ]
        }
        let averageTitle =
            average.map { $0.days == 7 ? c.text("trend.sevenDays") : c.count("trend.averageOf", $0.days) }
            ?? c.text("trend.sevenDays")
        return .init(
            title: title,
            blocks: [
                .table(
                    .init(
                        columns: [
                            .init(title: ""), .init(title: c.text("trend.thisPeriod"), numeric: true),
                            .init(title: c.text("trend.previousDay"), numeric: true),
                            .init(title: averageTitle, numeric: true),
                        ],
                        rows: [
                            row(c.text("column.sites"), \.sites, \.sites),
                            row(c.text("column.companies"), \.companies, \.companies),
                            row(c.text("column.trackerRequests"), \.trackerRequests, \.trackerRequests),
                        ]))
            ])
    }

    private func hourlySection(_ c: Catalog) -> DigestDocument.Section {
        let zone = period.zone
        let peak = Double(hourly.map(\.requests).max() ?? 0)
        let chart = DigestDocument.Chart(
            kind: .vertical, title: c.text("hourly.chart"),
            bars: hourly.map { hour in
                .init(
                    label: LocalTime.hour(hour.start, zone), value: Double(hour.requests),
                    part: Double(hour.trackerRequests),
                    caption: "\(c.number(hour.requests)) (\(c.number(hour.trackerRequests)))")
            },
            maximum: max(1, peak))
        return .init(title: c.text("hourly.title"), blocks: [.chart(chart)])
    }

    private func caveatSection(_ c: Catalog) -> DigestDocument.Section {
        let low = caveat.lowConfidenceRequests
        var text = c.text(
            "caveat.timing",
            [
                "low": c.count("count.request", low), "lowTrackers": c.number(caveat.lowConfidenceTrackerRequests),
                "were": c.count("caveat.were", low),
                "none": c.count("count.request", caveat.unattributedRequests),
                "noneTrackers": c.number(caveat.unattributedTrackerRequests),
            ])
        if !caveat.companies.isEmpty {
            text += c.text("caveat.companies", ["list": Self.companyCounts(caveat.companies, c)])
        }
        var blocks: [DigestDocument.Block] = [.paragraph(text)]
        let hidden = caveat.undecryptedConnections
        if hidden > 0 {
            var tunnels = c.text(
                "caveat.tunnels",
                [
                    "connections": c.count("count.httpsConnection", hidden),
                    "trackers": c.number(caveat.undecryptedTrackerConnections),
                ])
            if !caveat.guessedSites.isEmpty {
                tunnels += c.text("caveat.guessedSites", ["list": Self.shortList(caveat.guessedSites, c)])
            }
            if !caveat.undecryptedCompanies.isEmpty {
                tunnels += c.text(
                    "caveat.tunnelCompanies", ["list": Self.companyCounts(caveat.undecryptedCompanies, c)])
            }
            tunnels += c.text("caveat.howToSee")
            blocks.append(.paragraph(tunnels))
        }
        return .init(title: c.text("caveat.title"), blocks: blocks)
    }

    /// "Alphabet (12), Meta (3)": at most ten.
    static func companyCounts(_ companies: [CompanyCount], _ c: Catalog) -> String {
        companies.prefix(10).map { "\($0.name) (\(c.number($0.requests)))" }.joined(separator: ", ")
    }

    /// The privacy levels: what the store kept, so what this digest could and could not show.
    public static func recordingSection(_ recording: Recording, _ c: Catalog) -> DigestDocument.Section {
        let what =
            switch recording.record {
            case "hosts": c.text("recording.hosts")
            case "sites": c.text("recording.sites")
            default: c.text("recording.full")
            }
        let clients =
            switch recording.clients {
            case "pseudonyms": c.text("recording.pseudonyms")
            case "none": c.text("recording.noClients")
            default: c.text("recording.addresses")
            }
        let kept =
            recording.retentionDays == 0
            ? c.text("recording.keptUntilForgotten")
            : c.count("recording.deletedAfter", recording.retentionDays)
        return .init(
            title: c.text("recording.title"),
            blocks: [
                .paragraph(
                    c.text(
                        "recording.levels",
                        [
                            "record": recording.record, "clients": recording.clients, "what": what,
                            "who": clients, "kept": kept,
                        ]))
            ])
    }

    /// At most eight names, then "+N more".
    static func shortList(_ names: [String], _ c: Catalog, empty: String = "") -> String {
        guard !names.isEmpty else { return empty }
        let shown = names.prefix(8).joined(separator: ", ")
        return names.count > 8 ? shown + " " + c.count("list.more", names.count - 8) : shown
    }
}
