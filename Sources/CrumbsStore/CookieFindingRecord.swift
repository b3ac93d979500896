import CrumbsModel
import Foundation
import GRDB

/// One row of `cookie_finding`: one finding of a `CookieReport`, of any kind. Each kind fills the
/// columns it has; the rest keep neutral values (0, false, empty, NULL) and are ignored on read.
struct CookieFindingRecord {
    /// The `kind` column: which list of the report the row belongs to.
    enum Kind: String, CaseIterable {
        case thirdPartyCookie = "third_party_cookie"
        case identifierCookie = "identifier_cookie"
        case crossSiteIdentifier = "cross_site_identifier"
        case identifierLeak = "identifier_leak"
        case cookieSync = "cookie_sync"
    }

    static let columns = """
        kind, position, cookie_name, party, other_party, company, parameter, via, count, set_count, sites, \
        site_list, value_hashes, secure, http_only, same_site, partitioned, lifetime, lifetime_days, reason, \
        third_party, tracker, days
        """
    static let insertSQL =
        "INSERT INTO cookie_finding (day, \(columns)) VALUES (?, \(Array(repeating: "?", count: 23).joined(separator: ", ")))"

    var kind: Kind
    var position = 0
    var cookieName: String
    var party: String
    var otherParty: String?
    var company: String?
    var parameter: String?
    var via: URLToken.Source?
    var count = 0
    var setCount = 0
    var sites = 0
    var siteList: [String] = []
    var valueHashes: [String] = []
    var secure = false
    var httpOnly = false
    var sameSite: SetCookieObservation.SameSite?
    var partitioned = false
    var lifetime: CookieLifetime = .unknown
    var reason: CookieReport.IdentifierCookie.Reason?
    var thirdParty = false
    var tracker = false
    var days = 0

    init(kind: Kind, cookieName: String, party: String) {
        self.kind = kind
        self.cookieName = cookieName
        self.party = party
    }

    func arguments(day: String) throws -> StatementArguments {
        let (lifetimeName, lifetimeDays): (String, Double?) =
            switch lifetime {
            case .session: ("session", nil)
            case .days(let days): ("days", days)
            case .unknown: ("unknown", nil)
            }
        // JSON, not a separator: a first-party site comes from network input.
        let sitesJSON = String(decoding: try JSONEncoder().encode(siteList), as: UTF8.self)
        let values: [(any DatabaseValueConvertible)?] = [
            day, kind.rawValue, position, cookieName, party, otherParty, company, parameter, via?.rawValue, count,
            setCount, sites, sitesJSON, valueHashes.joined(separator: " "), secure, httpOnly, sameSite?.rawValue,
            partitioned, lifetimeName, lifetimeDays, reason?.rawValue, thirdParty, tracker, days,
        ]
        return StatementArguments(values)
    }

    init(row: Row) throws {
        func decode<T: RawRepresentable<String>>(_ type: T.Type, _ column: Int, _ what: String) throws -> T? {
            guard let name: String = row[column] else { return nil }
            guard let value = T(rawValue: name) else {
                throw StoredValueError(description: "unknown \(what) '\(name)' in cookie_finding")
            }
            return value
        }
        guard let kind = try decode(Kind.self, 0, "finding kind") else {
            throw StoredValueError(description: "cookie_finding row without a kind")
        }
        self.init(kind: kind, cookieName: row[2], party: row[3])
        position = row[1]
        otherParty = row[4]
        company = row[5]
        parameter = row[6]
        via = try decode(URLToken.Source.self, 7, "URL token source")
        count = row[8]
        setCount = row[9]
        sites = row[10]
        let sitesJSON: String = row[11]
        do {
            siteList = try JSONDecoder().decode([String].self, from: Data(sitesJSON.utf8))
        } catch {
            throw StoredValueError(description: "unreadable site list in cookie_finding")
        }
        let hashes: String = row[12]
        valueHashes = hashes.split(separator: " ").map(String.init)
        secure = row[13]
        httpOnly = row[14]
        sameSite = try decode(SetCookieObservation.SameSite.self, 15, "SameSite value")
        partitioned = row[16]
        let lifetimeName: String = row[17]
        switch lifetimeName {
        case "session": lifetime = .session
        case "unknown": lifetime = .unknown
        case "days":
            guard let days: Double = row[18] else {
                throw StoredValueError(description: "cookie_finding lifetime 'days' without a number")
            }
            lifetime = .days(days)
        default: throw StoredValueError(description: "unknown lifetime '\(lifetimeName)' in cookie_finding")
        }
        reason = try decode(CookieReport.IdentifierCookie.Reason.self, 19, "identifier reason")
        thirdParty = row[20]
        tracker = row[21]
        days = row[22]
    }
}
