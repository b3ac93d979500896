import CrumbsModel
import Foundation
import GRDB

// Plain record structs, one per table. Columns are read by position in the order of `columns`
// and written by position in the order of `insertSQL`: the append path is hot, and name lookups
// (or GRDB's boxed arguments, see SQLiteInsert) would cost more than SQLite's own work.

/// A stored value that this version cannot map back to the model (written by a newer version).
struct StoredValueError: Error, CustomStringConvertible {
    let description: String
}

/// One row of `event`; cookies live in their own tables. Repeated strings are ids into `party`
/// (client, host, sites) or `name` (the rest; see NameTable.swift), closed vocabularies are `StoredCode`s, the time is in milliseconds and
/// the duration in microseconds.
struct EventRecord {
    /// What `init(row:)` reads, names looked up; for queries `FROM event` (without an alias).
    static let columns = [
        "event.id", "event.time", EventStore.party("event.client"), "event.kind", EventStore.name("event.method"),
        EventStore.name("event.scheme"), EventStore.party("event.host"), "event.port", "event.path", "event.status",
        "event.bytes_up", "event.bytes_down", "event.duration", EventStore.name("event.content_type"),
        EventStore.party("event.referer_site"), EventStore.party("event.origin_site"),
        EventStore.name("event.sec_fetch"), "event.failure", EventStore.name("event.accept"), "event.source",
    ].joined(separator: ", ")
    static let insertSQL = """
        INSERT INTO event (time, client, kind, method, scheme, host, port, path, status, bytes_up, \
        bytes_down, duration, content_type, referer_site, origin_site, sec_fetch, failure, accept, source, \
        import_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// Binds `e` to a statement prepared from `insertSQL`; the id is left to SQLite.
    /// `importID`: the `import` row of the file the event was read from, if any.
    static func bind(
        _ e: RequestEvent, importID: Int64?, names: inout NameInterner, parties: inout NameInterner,
        to insert: inout SQLiteInsert
    ) throws {
        insert.bind(StoredCode.milliseconds(e.time))
        insert.bind(try parties.id(e.clientAddress))
        insert.bind(StoredCode.code(e.kind))
        insert.bind(try names.id(e.method))
        insert.bind(try names.id(e.scheme))
        insert.bind(try parties.id(e.host))
        // The scheme's default port (nearly every event) is stored as NULL: zero bytes.
        insert.bind(e.port == StoredCode.defaultPort(e.scheme) ? nil : e.port)
        insert.bind(e.path)
        insert.bind(e.status)
        insert.bind(e.bytesUp)
        insert.bind(e.bytesDown)
        insert.bind(Int64((e.duration * 1_000_000).rounded()))
        insert.bind(try names.id(e.contentType))
        insert.bind(try parties.id(e.refererSite))
        insert.bind(try parties.id(e.originSite))
        insert.bind(try names.id(StoredCode.fetchMetadata(e.secFetchSite, e.secFetchMode, e.secFetchDest)))
        insert.bind(e.failure)
        insert.bind(try names.id(e.accept))
        insert.bind(StoredCode.code(e.source))
        insert.bind(importID)
    }

    var id: Int64
    var event: RequestEvent

    init(row: Row) throws {
        id = row[0]
        let milliseconds: Int64 = row[1]
        let microseconds: Int64 = row[12]
        let scheme: String = row[5]
        let fetch = StoredCode.fetchMetadata(row[16])
        event = RequestEvent(
            time: StoredCode.date(milliseconds: milliseconds),
            clientAddress: row[2],
            kind: try StoredCode.decode(row[3], in: StoredCode.kinds, "event kind"),
            method: row[4],
            scheme: row[5],
            host: row[6],
            port: (row[7] as Int?) ?? StoredCode.defaultPort(scheme) ?? 0,
            path: row[8],
            status: row[9],
            bytesUp: row[10],
            bytesDown: row[11],
            duration: Double(microseconds) / 1_000_000,
            contentType: row[13],
            refererSite: row[14],
            originSite: row[15],
            secFetchSite: fetch.site,
            secFetchMode: fetch.mode,
            secFetchDest: fetch.dest,
            accept: row[18],
            failure: row[17],
            source: try StoredCode.decode(row[19], in: StoredCode.sources, "event source")
        )
    }
}

/// One row of `cookie_sent`: a cookie the client sent, as name and keyed hash.
struct SentCookieRecord {
    static let columns = "event_id, name, value_hash, value_length, entropy, tokens"
    static let insertSQL = """
        INSERT INTO cookie_sent (event_id, position, name, value_hash, value_length, entropy, tokens) \
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """

    /// `position` keeps the order of the `Cookie` header.
    static func bind(_ c: SentCookie, eventID: Int64, position: Int, to insert: inout SQLiteInsert) {
        insert.bind(eventID)
        insert.bind(position)
        insert.bind(c.name)
        insert.bindHash(c.valueHash)
        insert.bind(c.valueLength)
        insert.bind(c.entropyBits)
        insert.bind(c.tokenHashes.joined(separator: " "))
    }

    var eventID: Int64
    var cookie: SentCookie

    init(row: Row) {
        eventID = row[0]
        let tokens: String = row[5]
        cookie = SentCookie(
            name: row[1], valueHash: StoredHash.text(row[2]), valueLength: row[3], entropyBits: row[4],
            tokenHashes: tokens.split(separator: " ").map(String.init))
    }
}

/// One row of `cookie_set`: a `Set-Cookie` observation with its attributes.
struct SetCookieRecord {
    static let columns = """
        event_id, name, value_hash, value_length, domain, path, expires, secure, http_only, \
        same_site, partitioned, entropy, tokens
        """
    static let insertSQL = """
        INSERT INTO cookie_set (event_id, position, name, value_hash, value_length, domain, path, \
        expires, secure, http_only, same_site, partitioned, entropy, tokens) \
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    /// `position` keeps the order of the `Set-Cookie` headers.
    static func bind(
        _ c: SetCookieObservation, eventID: Int64, position: Int, to insert: inout SQLiteInsert
    ) {
        insert.bind(eventID)
        insert.bind(position)
        insert.bind(c.name)
        insert.bindHash(c.valueHash)
        insert.bind(c.valueLength)
        insert.bind(c.domain)
        insert.bind(c.path)
        insert.bind(c.expires?.timeIntervalSince1970)
        insert.bind(c.secure)
        insert.bind(c.httpOnly)
        insert.bind(c.sameSite?.rawValue)
        insert.bind(c.partitioned)
        insert.bind(c.entropyBits)
        insert.bind(c.tokenHashes.joined(separator: " "))
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
        let tokens: String = row[12]
        cookie = SetCookieObservation(
            name: row[1],
            valueHash: StoredHash.text(row[2]),
            valueLength: row[3],
            domain: row[4],
            path: row[5],
            expires: (row[6] as Double?).map(Date.init(timeIntervalSince1970:)),
            secure: row[7],
            httpOnly: row[8],
            sameSite: sameSite,
            partitioned: row[10],
            entropyBits: row[11],
            tokenHashes: tokens.split(separator: " ").map(String.init)
        )
    }
}

/// One row of `url_token`: an identifier-like URL parameter, as name and keyed hash.
struct URLTokenRecord {
    static let columns = "event_id, source, host, name, value_hash"
    static let insertSQL = """
        INSERT INTO url_token (event_id, position, source, host, name, value_hash) VALUES (?, ?, ?, ?, ?, ?)
        """

    static func bind(_ t: URLToken, eventID: Int64, position: Int, to insert: inout SQLiteInsert) {
        insert.bind(eventID)
        insert.bind(position)
        insert.bind(t.source.rawValue)
        insert.bind(t.host)
        insert.bind(t.name)
        insert.bind(t.valueHash)
    }

    var eventID: Int64
    var token: URLToken

    init(row: Row) throws {
        let sourceName: String = row[1]
        guard let source = URLToken.Source(rawValue: sourceName) else {
            throw StoredValueError(description: "unknown URL token source '\(sourceName)'")
        }
        eventID = row[0]
        token = URLToken(source: source, host: row[2], name: row[3], valueHash: row[4])
    }
}

/// One row of `classification`: the classifier's conclusions about one event, the site as an id
/// into `party`, other names as ids into `name`, and attribution and confidence as `StoredCode`s. Empty lists and categories are NULL.
struct ClassificationRecord {
    /// What `init(row:)` reads; for queries `FROM classification` (without an alias).
    static let columns = [
        "classification.event_id", EventStore.party("classification.first_party_site"), "classification.attribution",
        "classification.confidence", EventStore.name("classification.request_type"), "classification.third_party",
        "classification.same_owner", "classification.tracker", EventStore.name("classification.rule"),
        EventStore.name("classification.company"), EventStore.name("classification.categories"),
    ].joined(separator: ", ")
    static let insertSQL = """
        INSERT INTO classification (event_id, first_party_site, attribution, confidence, request_type, \
        third_party, same_owner, tracker, rule, company, categories) \
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """

    static func bind(
        _ c: Classification, eventID: Int64, names: inout NameInterner, parties: inout NameInterner,
        to insert: inout SQLiteInsert
    ) throws {
        insert.bind(eventID)
        insert.bind(try parties.id(c.firstPartySite))
        insert.bind(StoredCode.code(c.attribution))
        insert.bind(StoredCode.code(c.confidence))
        insert.bind(try names.id(c.requestType))
        insert.bind(c.isThirdParty)
        insert.bind(c.isSameOwner)
        insert.bind(c.isTracker)
        insert.bind(try names.id(StoredCode.rule(lists: c.lists, rule: c.rule, location: c.ruleLocation)))
        insert.bind(try names.id(c.company))
        insert.bind(try names.id(c.categories.isEmpty ? nil : c.categories.joined(separator: ",")))
    }

    var eventID: Int64
    var classification: Classification

    init(row: Row) throws {
        let rule = StoredCode.rule(row[8])
        let categories: String? = row[10]
        eventID = row[0]
        classification = Classification(
            firstPartySite: row[1],
            attribution: try StoredCode.decode(row[2], in: StoredCode.attributions, "attribution"),
            confidence: try StoredCode.decode(row[3], in: StoredCode.confidences, "confidence"),
            requestType: row[4],
            isThirdParty: row[5],
            isSameOwner: row[6],
            isTracker: row[7],
            lists: rule.lists,
            rule: rule.rule,
            ruleLocation: rule.location,
            company: row[9],
            categories: (categories ?? "").split(separator: ",").map(String.init)
        )
    }
}
