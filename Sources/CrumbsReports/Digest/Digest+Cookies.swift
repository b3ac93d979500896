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
    var cookieSection: DigestDocument.Section {
        let title = "Cookies and identifiers"
        if recording?.record == "sites" {
            return .init(
                title: title,
                blocks: [
                    .paragraph(
                        "Not recorded: at the privacy level record = sites, Crumbs keeps no cookies, so it cannot "
                            + "report them.")
                ])
        }
        guard let cookies, cookies.eventsInspected > 0 else {
            return .init(
                title: title,
                blocks: [
                    .paragraph(
                        "No cookies were seen. Crumbs sees the cookies of HTTPS sites only when it intercepts "
                            + "them (crumbs run --intercept).")
                ])
        }
        let parties = Set(cookies.thirdPartyCookies.map(\.party)).count
        var blocks: [DigestDocument.Block] = [
            .paragraph(
                "Third-party cookies: \(cookies.thirdPartyCookies.count) (from \(Self.count(parties, "party", plural: "parties"))). "
                    + "Cookies that look like identifiers: \(cookies.identifierCookies.count). "
                    + "Identifiers that followed you across sites: \(cookies.crossSiteIdentifiers.count). "
                    + "Cookie syncs: \(cookies.cookieSyncs.count). Identifier leaks: \(cookies.identifierLeaks.count). "
                    + "Names and counts only: Crumbs never stores cookie values.")
        ]
        let limit = Self.tableLimit
        if !cookies.crossSiteIdentifiers.isEmpty {
            blocks.append(.paragraph("Identifiers that followed you across sites:"))
            blocks.append(
                .table(
                    .init(
                        columns: [
                            .init(title: "Party"), .init(title: "Cookie"), .init(title: "Company"),
                            .init(title: "Sites", numeric: true), .init(title: "Requests", numeric: true),
                            .init(title: "Seen on"),
                        ],
                        rows: cookies.crossSiteIdentifiers.prefix(limit).map {
                            [
                                $0.party, $0.name, $0.company ?? "-", String($0.sites.count), String($0.requests),
                                Self.shortList($0.sites),
                            ]
                        })))
        }
        let transfers = cookies.cookieSyncs.map { ("sync", $0) } + cookies.identifierLeaks.map { ("leak", $0) }
        if !transfers.isEmpty {
            blocks.append(.paragraph("Identifiers passed from one party to another in URLs:"))
            blocks.append(
                .table(
                    .init(
                        columns: [
                            .init(title: "Kind"), .init(title: "From"), .init(title: "To"), .init(title: "Cookie"),
                            .init(title: "Parameter"), .init(title: "Requests", numeric: true),
                        ],
                        rows: transfers.prefix(limit).map { kind, t in
                            [
                                kind, t.fromParty, t.toParty, t.cookieName, "\(t.parameter) (\(t.via))",
                                String(t.requests),
                            ]
                        })))
        }
        if !cookies.thirdPartyCookies.isEmpty {
            blocks.append(.paragraph("Third-party cookies, most sites first:"))
            blocks.append(
                .table(
                    .init(
                        columns: [
                            .init(title: "Party"), .init(title: "Cookie"), .init(title: "Company"),
                            .init(title: "Sites", numeric: true), .init(title: "Set", numeric: true),
                            .init(title: "Sent", numeric: true), .init(title: "Lifetime", numeric: true),
                        ],
                        rows: cookies.thirdPartyCookies.prefix(limit).map {
                            [
                                $0.party, $0.name, $0.company ?? "-", String($0.sites), String($0.setCount),
                                String($0.sentCount), $0.lifetimeDays.map { "\(Int($0.rounded())) days" } ?? "-",
                            ]
                        })))
        }
        if !cookies.identifierCookies.isEmpty {
            blocks.append(.paragraph("Cookies that look like identifiers:"))
            blocks.append(
                .table(
                    .init(
                        columns: [
                            .init(title: "Party"), .init(title: "Cookie"), .init(title: "Why"),
                            .init(title: "Sites", numeric: true), .init(title: "Days sent", numeric: true),
                        ],
                        rows: cookies.identifierCookies.prefix(limit).map {
                            [
                                $0.party, $0.name,
                                $0.reason == "longLived" ? "lives 90+ days" : "same value on 2+ days",
                                String($0.sites), String($0.daysSent),
                            ]
                        })))
        }
        return .init(title: title, blocks: blocks)
    }
}
