import CrumbsModel

/// Mapping between a `CookieReport` and its `cookie_finding` rows, both ways.
extension CookieFindingRecord {
    /// The report's findings as rows, each list in its own order (`position`).
    static func records(of report: CookieReport) -> [CookieFindingRecord] {
        var rows: [CookieFindingRecord] = []
        func add(_ list: [CookieFindingRecord]) {
            rows += list.enumerated().map { position, row in
                var row = row
                row.position = position
                return row
            }
        }
        add(report.thirdPartyCookies.map(Self.init(thirdPartyCookie:)))
        add(report.identifierCookies.map(Self.init(identifierCookie:)))
        add(report.crossSiteIdentifiers.map(Self.init(crossSiteIdentifier:)))
        add(report.identifierLeaks.map { Self(transfer: $0, kind: .identifierLeak) })
        add(report.cookieSyncs.map { Self(transfer: $0, kind: .cookieSync) })
        return rows
    }

    /// Rebuilds a report from rows ordered by kind and position.
    static func report(of rows: [CookieFindingRecord], eventsInspected: Int) throws -> CookieReport {
        var report = CookieReport(eventsInspected: eventsInspected)
        for row in rows {
            switch row.kind {
            case .thirdPartyCookie:
                report.thirdPartyCookies.append(
                    CookieReport.ThirdPartyCookie(
                        party: row.party, name: row.cookieName, company: row.company, setCount: row.setCount,
                        sentCount: row.count, firstPartySites: row.sites, secure: row.secure, httpOnly: row.httpOnly,
                        sameSite: row.sameSite, partitioned: row.partitioned, lifetime: row.lifetime,
                        tracker: row.tracker))
            case .identifierCookie:
                guard let reason = row.reason else {
                    throw StoredValueError(description: "identifier cookie '\(row.cookieName)' without a reason")
                }
                report.identifierCookies.append(
                    CookieReport.IdentifierCookie(
                        party: row.party, name: row.cookieName, company: row.company, reason: reason,
                        thirdParty: row.thirdParty, lifetime: row.lifetime, daysSent: row.days,
                        firstPartySites: row.sites, events: row.count, valueHashes: row.valueHashes))
            case .crossSiteIdentifier:
                report.crossSiteIdentifiers.append(
                    CookieReport.CrossSiteIdentifier(
                        party: row.party, name: row.cookieName, company: row.company, sites: row.siteList,
                        count: row.count, valueHash: row.valueHashes.first ?? ""))
            case .identifierLeak, .cookieSync:
                guard let otherParty = row.otherParty, let parameter = row.parameter, let via = row.via else {
                    throw StoredValueError(description: "\(row.kind.rawValue) '\(row.cookieName)' without its URL")
                }
                let transfer = CookieReport.IdentifierTransfer(
                    cookieName: row.cookieName, fromParty: row.party, toParty: otherParty, parameter: parameter,
                    via: via, count: row.count, valueHashes: row.valueHashes)
                if row.kind == .identifierLeak {
                    report.identifierLeaks.append(transfer)
                } else {
                    report.cookieSyncs.append(transfer)
                }
            }
        }
        return report
    }

    private init(thirdPartyCookie c: CookieReport.ThirdPartyCookie) {
        self.init(kind: .thirdPartyCookie, cookieName: c.name, party: c.party)
        company = c.company
        count = c.sentCount
        setCount = c.setCount
        sites = c.firstPartySites
        secure = c.secure
        httpOnly = c.httpOnly
        sameSite = c.sameSite
        partitioned = c.partitioned
        lifetime = c.lifetime
        tracker = c.tracker
        thirdParty = true
    }

    private init(identifierCookie c: CookieReport.IdentifierCookie) {
        self.init(kind: .identifierCookie, cookieName: c.name, party: c.party)
        company = c.company
        reason = c.reason
        thirdParty = c.thirdParty
        lifetime = c.lifetime
        days = c.daysSent
        sites = c.firstPartySites
        count = c.events
        valueHashes = c.valueHashes
    }

    private init(crossSiteIdentifier c: CookieReport.CrossSiteIdentifier) {
        self.init(kind: .crossSiteIdentifier, cookieName: c.name, party: c.party)
        company = c.company
        siteList = c.sites
        sites = c.sites.count
        count = c.count
        valueHashes = [c.valueHash]
        thirdParty = true
    }

    private init(transfer t: CookieReport.IdentifierTransfer, kind: Kind) {
        self.init(kind: kind, cookieName: t.cookieName, party: t.fromParty)
        otherParty = t.toParty
        parameter = t.parameter
        via = t.via
        count = t.count
        valueHashes = t.valueHashes
    }
}
