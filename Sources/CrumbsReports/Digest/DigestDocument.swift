import CrumbsModel
import Foundation

/// The digest laid out as titled sections of paragraphs, lists, tables and charts, once, so that
/// markdown, text and HTML say the same things in the same order. Every string here is raw (it
/// may hold a hostile host name); each renderer escapes for its own format.
struct DigestDocument {
    struct Column {
        var title: String
        var numeric = false
    }

    struct Table {
        var columns: [Column]
        var rows: [[String]]
    }

    /// One bar of a chart.
    struct Bar {
        var label: String
        var value: Double
        /// A second, overlaid value (tracker requests within all requests).
        var part: Double = 0
        var caption: String
    }

    struct Chart {
        enum Kind { case horizontal, vertical }
        var kind: Kind
        var title: String
        var bars: [Bar]
        /// The bar length that fills the chart (1.0 for shares).
        var maximum: Double
    }

    enum Block {
        case paragraph(String)
        case list([String])
        case table(Table)
        case chart(Chart)
    }

    struct Section {
        var title: String
        var blocks: [Block]
    }

    var title: String
    var headline: String
    var sections: [Section]
}

extension Digest {
    /// How many companies and sites the tables show; the JSON keeps everything.
    static let tableLimit = 25

    var document: DigestDocument {
        DigestDocument(
            title: "Crumbs digest: \(period.title)", headline: headline,
            sections: [
                companySection, siteSection, widgetSection, cookieSection, newSection, trendSection,
                hourlySection, caveatSection,
            ] + (recording.map { [Self.recordingSection($0)] } ?? []))
    }

    private var companySection: DigestDocument.Section {
        guard !companies.isEmpty else {
            return .init(title: "Companies by reach", blocks: [.paragraph("No third-party company was seen.")])
        }
        let shown = companies.prefix(Self.tableLimit)
        let table = DigestDocument.Table(
            columns: [
                .init(title: "Company"), .init(title: "Reach", numeric: true), .init(title: "Sites", numeric: true),
                .init(title: "Requests", numeric: true), .init(title: "Categories"), .init(title: "Seen on"),
            ],
            rows: shown.map { company in
                [
                    company.name, Self.percent(company.reach), String(company.sites.count), String(company.requests),
                    company.categories.joined(separator: ", "), Self.shortList(company.sites),
                ]
            })
        let chart = DigestDocument.Chart(
            kind: .horizontal, title: "Share of the sites you visited that each company saw",
            bars: shown.map {
                .init(label: $0.name, value: $0.reach, caption: "\(Self.percent($0.reach)) (\($0.sites.count))")
            },
            maximum: 1)
        var blocks: [DigestDocument.Block] = [.chart(chart), .table(table)]
        if companies.count > shown.count {
            blocks.append(.paragraph("…and \(companies.count - shown.count) more companies (see the JSON digest)."))
        }
        return .init(title: "Companies by reach", blocks: blocks)
    }

    private var siteSection: DigestDocument.Section {
        guard !sites.isEmpty else {
            return .init(title: "Sites you visited", blocks: [.paragraph("No site visits were recorded.")])
        }
        let shown = sites.prefix(Self.tableLimit)
        var blocks: [DigestDocument.Block] = [
            .table(
                .init(
                    columns: [
                        .init(title: "Site"), .init(title: "Pages", numeric: true),
                        .init(title: "Requests", numeric: true), .init(title: "Tracker requests", numeric: true),
                        .init(title: "Companies"),
                    ],
                    rows: shown.map { site in
                        [
                            site.site, String(site.pages), String(site.requests), String(site.trackerRequests),
                            Self.shortList(site.companies),
                        ]
                    }))
        ]
        if sites.count > shown.count {
            blocks.append(.paragraph("…and \(sites.count - shown.count) more sites (see the JSON digest)."))
        }
        return .init(title: "Sites you visited", blocks: blocks)
    }

    private var widgetSection: DigestDocument.Section {
        let withWidgets = sites.filter { !$0.shareButtons.isEmpty || !$0.analytics.isEmpty }
        guard !withWidgets.isEmpty else {
            return .init(
                title: "Share buttons and analytics", blocks: [.paragraph("No share buttons or analytics were seen.")])
        }
        return .init(
            title: "Share buttons and analytics",
            blocks: [
                .table(
                    .init(
                        columns: [.init(title: "Site"), .init(title: "Share buttons"), .init(title: "Analytics")],
                        rows: withWidgets.prefix(Self.tableLimit).map { site in
                            [
                                site.site, Self.shortList(site.shareButtons, empty: "-"),
                                Self.shortList(site.analytics, empty: "-"),
                            ]
                        }))
            ])
    }

    private var newSection: DigestDocument.Section {
        guard new.hasEarlierData else {
            return .init(
                title: "New",
                blocks: [
                    .paragraph(
                        "Nothing older is recorded, so every company and tracker here is new to Crumbs: "
                            + "\(Self.count(new.companies.count, "company", plural: "companies")), "
                            + "\(Self.count(new.trackerHosts.count, "tracker host")).")
                ])
        }
        var items: [String] = []
        if !new.companies.isEmpty {
            items.append("Companies seen for the first time: \(Self.shortList(new.companies))")
        }
        if !new.trackerHosts.isEmpty {
            items.append("Tracker hosts seen for the first time: \(Self.shortList(new.trackerHosts))")
        }
        return .init(
            title: "New", blocks: items.isEmpty ? [.paragraph("No company or tracker was new.")] : [.list(items)])
    }

    private var trendSection: DigestDocument.Section {
        guard trend.previousDay != nil || trend.sevenDayAverage != nil else {
            return .init(title: "Trend", blocks: [.paragraph("No earlier days are recorded to compare with.")])
        }
        let average = trend.sevenDayAverage
        func row(_ name: String, _ value: KeyPath<ActivityTotals, Int>, _ mean: KeyPath<AverageTotals, Double>)
            -> [String]
        {
            [
                name, String(totals[keyPath: value]), trend.previousDay.map { String($0[keyPath: value]) } ?? "-",
                average.map { Self.oneDecimal($0[keyPath: mean]) } ?? "-",
            ]
        }
        let averageTitle =
            average.map { $0.days == 7 ? "7-day average" : "Average of \($0.days) days" } ?? "7-day average"
        return .init(
            title: "Trend",
            blocks: [
                .table(
                    .init(
                        columns: [
                            .init(title: ""), .init(title: "This period", numeric: true),
                            .init(title: "Previous day", numeric: true), .init(title: averageTitle, numeric: true),
                        ],
                        rows: [
                            row("Sites", \.sites, \.sites), row("Companies", \.companies, \.companies),
                            row("Tracker requests", \.trackerRequests, \.trackerRequests),
                        ]))
            ])
    }

    private var hourlySection: DigestDocument.Section {
        let zone = period.zone
        let peak = Double(hourly.map(\.requests).max() ?? 0)
        let chart = DigestDocument.Chart(
            kind: .vertical, title: "Requests per hour (darker: to trackers)",
            bars: hourly.map { hour in
                .init(
                    label: LocalTime.hour(hour.start, zone), value: Double(hour.requests),
                    part: Double(hour.trackerRequests), caption: "\(hour.requests) (\(hour.trackerRequests))")
            },
            maximum: max(1, peak))
        return .init(title: "Requests per hour", blocks: [.chart(chart)])
    }

    private var caveatSection: DigestDocument.Section {
        let low = caveat.lowConfidenceRequests
        var text =
            "\(Self.count(low, "request")) (\(caveat.lowConfidenceTrackerRequests) to trackers) "
            + "\(low == 1 ? "was" : "were") attributed to a page only by timing (low confidence), and "
            + "\(Self.count(caveat.unattributedRequests, "request")) (\(caveat.unattributedTrackerRequests) to trackers) "
            + "to no page at all. They are not counted above."
        if !caveat.companies.isEmpty {
            text +=
                " Companies among them: "
                + caveat.companies.prefix(10).map { "\($0.name) (\($0.requests))" }.joined(separator: ", ") + "."
        }
        var blocks: [DigestDocument.Block] = [.paragraph(text)]
        let hidden = caveat.undecryptedConnections
        if hidden > 0 {
            var tunnels =
                "\(Self.count(hidden, "HTTPS connection")) (\(caveat.undecryptedTrackerConnections) to trackers) "
                + "went through Crumbs without decryption: it saw only their host names, so the pages they "
                + "belong to are guesses from timing (dashed in the graph)."
            if !caveat.guessedSites.isEmpty {
                tunnels +=
                    " Sites these connections suggest you visited (guesses, not counted as visits): "
                    + Self.shortList(caveat.guessedSites) + "."
            }
            if !caveat.undecryptedCompanies.isEmpty {
                tunnels +=
                    " Companies behind them: "
                    + caveat.undecryptedCompanies.prefix(10).map { "\($0.name) (\($0.requests))" }
                    .joined(separator: ", ") + "."
            }
            tunnels +=
                " To see these pages, open http://crumbs.internal/ in the browser, install the Crumbs "
                + "certificate, and restart Crumbs with --intercept."
            blocks.append(.paragraph(tunnels))
        }
        return .init(title: "About attribution", blocks: blocks)
    }

    /// The privacy levels: what the store kept, so what this digest could and could not show.
    static func recordingSection(_ recording: Recording) -> DigestDocument.Section {
        let what =
            switch recording.record {
            case "hosts": "host names without paths"
            case "sites": "only sites and third parties' registrable domains, companies and categories (no cookies)"
            default: "host names and paths (no query strings), cookie names and keyed hashes"
            }
        let clients =
            switch recording.clients {
            case "pseudonyms": "devices under keyed pseudonyms"
            case "none": "no device at all"
            default: "devices by address"
            }
        let kept =
            recording.retentionDays == 0
            ? "Events are kept until forgotten (crumbs forget)."
            : "Events are deleted after \(recording.retentionDays) days; this digest stays."
        return .init(
            title: "About this record",
            blocks: [
                .paragraph(
                    "Privacy levels: record = \(recording.record), clients = \(recording.clients). Crumbs stored "
                        + "\(what), and \(clients). \(kept)")
            ])
    }

    /// At most eight names, then "+N more".
    static func shortList(_ names: [String], empty: String = "") -> String {
        guard !names.isEmpty else { return empty }
        let shown = names.prefix(8).joined(separator: ", ")
        return names.count > 8 ? shown + " +\(names.count - 8) more" : shown
    }

    static func oneDecimal(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}
