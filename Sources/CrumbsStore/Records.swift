import CrumbsModel
import Foundation
import GRDB

// Plain record structs, one per table. Columns are read by position in the order of `columns`
// and written with positional arguments: the append path is hot and name lookups would cost.

/// A stored value that this version cannot map back to the model (written by a newer version).
struct StoredValueError: Error, CustomStringConvertible {
    let description: String
}

/// One row of `event`; cookies live in their own tables.
struct EventRecord {
    static let columns = """
        id, time, client, kind, method, scheme, host, port, path, status, bytes_up, bytes_down, \
        duration, content_type, referer_site, origin_site, sec_fetch_site, sec_fetch_mode, \
        sec_fetch_dest, failure
        """
    static let insertSQL = """
        INSERT INTO event (time, client, kind, method, scheme, host, port, path, status, bytes_up, \
        bytes_down, duration, content_type, referer_site, origin_site, sec_fetch_site, \
        sec_fetch_mode, sec_fetch_dest, failure) \
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Insert arguments for `insertSQL`; the id is left to SQLite.
    static func insertArguments(_ e: RequestEvent) -> StatementArguments {
        [
            e.time.timeIntervalSince1970, e.clientAddress, e.kind.rawValue, e.method, e.scheme,
            e.host, e.port, e.path, e.status, e.bytesUp, e.bytesDown, e.duration, e.contentType,
            e.refererSite, e.originSite, e.secFetchSite, e.secFetchMode, e.secFetchDest, e.failure,
        ]
    }

    var id: Int64
    var event: RequestEvent

    init(row: Row) throws {
        let kindName: String = row[3]
        guard let kind = RequestEvent.Kind(rawValue: kindName) else {
            throw StoredValueError(description: "unknown event kind '\(kindName)'")
        }
        id = row[0]
        event = RequestEvent(
            time: Date(timeIntervalSince1970: row[1]),
            clientAddress: row[2],
            kind: kind,
            method: row[4],
            scheme: row[5],
            host: row[6],
            port: row[7],
            path: row[8],
            status: row[9],
            bytesUp: row[10],
            bytesDown: row[11],
            duration: row[12],
            contentType: row[13],
            refererSite: row[14],
            originSite: row[15],
            secFetchSite: row[16],
            secFetchMode: row[17],
            secFetchDest: row[18],
            failure: row[19]
        )
    }
}

/// One row of `cookie_sent`: a cookie the client sent, as name and keyed hash.
struct SentCookieRecord {
    static let columns = "event_id, name, value_hash, value_length"
    static let insertSQL =
        "INSERT INTO cookie_sent (event_id, name, value_hash, value_length) VALUES (?, ?, ?, ?)"

    static func insertArguments(eventID: Int64, _ c: SentCookie) -> StatementArguments {
        [eventID, c.name, c.valueHash, c.valueLength]
    }

    var eventID: Int64
    var cookie: SentCookie

    init(row: Row) {
        eventID = row[0]
        cookie = SentCookie(name: row[1], valueHash: row[2], valueLength: row[3])
    }
}

/// One row of `cookie_set`: a `Set-Cookie` observation with its attributes.
struct SetCookieRecord {
    static let columns = """
        event_id, name, value_hash, value_length, domain, path, expires, secure, http_only, \
        same_site, partitioned
        """
    static let insertSQL = """
        INSERT INTO cookie_set (\(columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func insertArguments(eventID: Int64, _ c: SetCookieObservation) -> StatementArguments {
        [
            eventID, c.name, c.valueHash, c.valueLength, c.domain, c.path,
            c.expires?.timeIntervalSince1970, c.secure, c.httpOnly, c.sameSite?.rawValue,
            c.partitioned,
        ]
    }

    var eventID: Int64
    var cookie: SetCookieObservation

    init(row: Row) throws {
        var sameSite: SetCookieObservation.SameSite?
        if let name: String = row[9] {
            guard let value = SetCookieObservation.SameSite(rawValue: name) else {
                throw StoredValueError(description: "unknown SameSite value '\(name)'")
            }
            sameSite = value
        }
        eventID = row[0]
        cookie = SetCookieObservation(
            name: row[1],
            valueHash: row[2],
            valueLength: row[3],
            domain: row[4],
            path: row[5],
            expires: (row[6] as Double?).map(Date.init(timeIntervalSince1970:)),
            secure: row[7],
            httpOnly: row[8],
            sameSite: sameSite,
            partitioned: row[10]
        )
    }
}
