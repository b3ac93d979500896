import CrumbsModel
import Foundation

extension Digest {
    /// The cookie findings of the period, as names, parties and counts: the digest leaves out even
    /// the keyed hashes that `CookieReport` keeps, since a reader has no use for them.
    public struct CookieSummary: Sendable, Equatable, Codable {
        /// Requests that carried cookies or URL tokens (zero without interception on HTTPS).
        public var eventsInspected: Int
        public var thirdPartyCookies: [ThirdPartyCookie]
        public var identifierCookies: [IdentifierCookie]
        public var crossSiteIdentifiers: [CrossSiteIdentifier]
        public var cookieSyncs: [Transfer]
        public var identifierLeaks: [Transfer]

        public struct ThirdPartyCookie: Sendable, Equatable, Codable {
            public var party: String
            public var name: String
            public var company: String?
            public var sites: Int
            public var setCount: Int
            public var sentCount: Int
            /// Longest lifetime asked for, in days; nil for session cookies or when never seen set.
            public var lifetimeDays: Double?
            public var tracker: Bool
        }

        public struct IdentifierCookie: Sendable, Equatable, Codable {
            public var party: String
            public var name: String
            public var company: String?
            /// `longLived` or `resentAcrossDays`.
            public var reason: String
            public var thirdParty: Bool
            public var sites: Int
            public var daysSent: Int
        }

        public struct CrossSiteIdentifier: Sendable, Equatable, Codable {
            public var party: String
            public var name: String
            public var company: String?
            public var sites: [String]
            public var requests: Int
        }

        /// A cookie's value seen in a URL parameter sent to another party.
        public struct Transfer: Sendable, Equatable, Codable {
            public var cookieName: String
            public var fromParty: String
            public var toParty: String
            public var parameter: String
            /// `query`, `referer` or `location`.
            public var via: String
            public var requests: Int
        }

        public init(_ report: CookieReport) {
            eventsInspected = report.eventsInspected
            thirdPartyCookies = report.thirdPartyCookies.map { cookie in
                var days: Double?
                if case .days(let value) = cookie.lifetime { days = value }
                return ThirdPartyCookie(
                    party: cookie.party, name: cookie.name, company: cookie.company, sites: cookie.firstPartySites,
                    setCount: cookie.setCount, sentCount: cookie.sentCount, lifetimeDays: days, tracker: cookie.tracker)
            }
            .sorted {
                ($0.sites, $0.sentCount + $0.setCount, $1.party, $1.name) > (
                    $1.sites, $1.sentCount + $1.setCount, $0.party, $0.name
                )
            }
            identifierCookies = report.identifierCookies.map {
                IdentifierCookie(
                    party: $0.party, name: $0.name, company: $0.company, reason: $0.reason.rawValue,
                    thirdParty: $0.thirdParty, sites: $0.firstPartySites, daysSent: $0.daysSent)
            }
            .sorted { ($0.sites, $1.party, $1.name) > ($1.sites, $0.party, $0.name) }
            crossSiteIdentifiers = report.crossSiteIdentifiers.map {
                CrossSiteIdentifier(
                    party: $0.party, name: $0.name, company: $0.company, sites: $0.sites, requests: $0.count)
            }
            .sorted { ($0.sites.count, $1.party, $1.name) > ($1.sites.count, $0.party, $0.name) }
            func transfer(_ t: CookieReport.IdentifierTransfer) -> Transfer {
                Transfer(
                    cookieName: t.cookieName, fromParty: t.fromParty, toParty: t.toParty, parameter: t.parameter,
                    via: t.via.rawValue, requests: t.count)
            }
            cookieSyncs = report.cookieSyncs.map(transfer)
            identifierLeaks = report.identifierLeaks.map(transfer)
        }
    }
}

extension Digest {
    func cookieSection(_ c: Catalog) -> DigestDocument.Section {
        let title = c.text("cookies.title")
        if recording?.record == "sites" {
            return .init(title: title, blocks: [.paragraph(c.text("cookies.notRecorded"))])
        }
        guard let cookies, cookies.eventsInspected > 0 else {
            return .init(title: title, blocks: [.paragraph(c.text("cookies.none"))])
        }
        let parties = Set(cookies.thirdPartyCookies.map(\.party)).count
        var blocks: [DigestDocument.Block] = [
            .paragraph(
                c.text(
                    "cookies.summary",
                    [
                        "thirdParty": c.number(cookies.thirdPartyCookies.count),
                        "parties": c.count("count.party", parties),
                        "identifiers": c.number(cookies.identifierCookies.count),
                        "crossSite": c.number(cookies.crossSiteIdentifiers.count),
                        "syncs": c.number(cookies.cookieSyncs.count), "leaks": c.number(cookies.identifierLeaks.count),
                    ]))
        ]
        let limit = Self.tableLimit
        if !cookies.crossSiteIdentifiers.isEmpty {
            blocks.append(.paragraph(c.text("cookies.crossSite")))
            blocks.append(
                .table(
                    .init(
                        columns: [
                            .init(title: c.text("column.party")), .init(title: c.text("column.cookie")),
                            .init(title: c.text("column.company")), .init(title: c.text("column.sites"), numeric: true),
                            .init(title: c.text("column.requests"), numeric: true),
                            .init(title: c.text("column.seenOn")),
                        ],
                        rows: cookies.crossSiteIdentifiers.prefix(limit).map {
                            [
                                $0.party, $0.name, $0.company ?? "-", c.number($0.sites.count), c.number($0.requests),
                                Self.shortList($0.sites, c),
                            ]
                        })))
        }
        let transfers =
            cookies.cookieSyncs.map { (c.text("cookies.sync"), $0) }
            + cookies.identifierLeaks.map { (c.text("cookies.leak"), $0) }
        if !transfers.isEmpty {
            blocks.append(.paragraph(c.text("cookies.transfers")))
            blocks.append(
                .table(
                    .init(
                        columns: [
                            .init(title: c.text("column.kind")), .init(title: c.text("column.from")),
                            .init(title: c.text("column.to")), .init(title: c.text("column.cookie")),
                            .init(title: c.text("column.parameter")),
                            .init(title: c.text("column.requests"), numeric: true),
                        ],
                        rows: transfers.prefix(limit).map { kind, t in
                            [
                                kind, t.fromParty, t.toParty, t.cookieName, "\(t.parameter) (\(t.via))",
                                c.number(t.requests),
                            ]
                        })))
        }
        if !cookies.thirdPartyCookies.isEmpty {
            blocks.append(.paragraph(c.text("cookies.thirdParty")))
            blocks.append(
                .table(
                    .init(
                        columns: [
                            .init(title: c.text("column.party")), .init(title: c.text("column.cookie")),
                            .init(title: c.text("column.company")), .init(title: c.text("column.sites"), numeric: true),
                            .init(title: c.text("column.set"), numeric: true),
                            .init(title: c.text("column.sent"), numeric: true),
                            .init(title: c.text("column.lifetime"), numeric: true),
                        ],
                        rows: cookies.thirdPartyCookies.prefix(limit).map {
                            [
                                $0.party, $0.name, $0.company ?? "-", c.number($0.sites), c.number($0.setCount),
                                c.number($0.sentCount),
                                $0.lifetimeDays.map { c.count("count.day", Int($0.rounded())) } ?? "-",
                            ]
                        })))
        }
        if !cookies.identifierCookies.isEmpty {
            blocks.append(.paragraph(c.text("cookies.identifiers")))
            blocks.append(
                .table(
                    .init(
                        columns: [
                            .init(title: c.text("column.party")), .init(title: c.text("column.cookie")),
                            .init(title: c.text("column.why")), .init(title: c.text("column.sites"), numeric: true),
                            .init(title: c.text("column.daysSent"), numeric: true),
                        ],
                        rows: cookies.identifierCookies.prefix(limit).map {
                            [
                                $0.party, $0.name,
                                $0.reason == "longLived" ? c.text("cookies.longLived") : c.text("cookies.sameValue"),
                                c.number($0.sites), c.number($0.daysSent),
                            ]
                        })))
        }
        return .init(title: title, blocks: blocks)
    }
}
