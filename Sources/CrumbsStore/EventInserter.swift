import CrumbsModel
import GRDB

/// The statements that insert events with their cookies, URL tokens and classification,
/// prepared once on a write transaction's connection and run once per row.
struct EventInserter: ~Copyable {
    private var insertEvent: SQLiteInsert
    private var insertSent: SQLiteInsert
    private var insertSet: SQLiteInsert
    private var insertClassification: SQLiteInsert
    private var insertToken: SQLiteInsert
    private var names: NameInterner
    private var parties: NameInterner

    init(_ db: Database, names cache: NameCaches) throws {
        // Prepared into locals first: a stored property of a noncopyable type cannot be left
        // half-initialised by a throw.
        let event = try SQLiteInsert(db, sql: EventRecord.insertSQL)
        let sent = try SQLiteInsert(db, sql: SentCookieRecord.insertSQL)
        let set = try SQLiteInsert(db, sql: SetCookieRecord.insertSQL)
        let classification = try SQLiteInsert(db, sql: ClassificationRecord.insertSQL)
        let token = try SQLiteInsert(db, sql: URLTokenRecord.insertSQL)
        let names = try NameInterner(db, table: "name", cache: cache.names)
        let parties = try NameInterner(db, table: "party", cache: cache.parties)
        insertEvent = event
        insertSent = sent
        insertSet = set
        insertClassification = classification
        insertToken = token
        self.names = names
        self.parties = parties
    }

    /// The names this transaction interned (for the shared caches once it committed).
    var interned: (names: InternedNames, parties: InternedNames) { (names.interned, parties.interned) }

    /// Inserts the events that are stored (markers such as `tunnelOpened` are for the recorder's
    /// stage, never for the store); `importID` ties them to the file they were read from.
    mutating func insert(_ events: [RequestEvent], importID: Int64?) throws {
        for event in events where event.isStored {
            try EventRecord.bind(event, importID: importID, names: &names, parties: &parties, to: &insertEvent)
            let id = try insertEvent.run()
            for (position, cookie) in event.cookiesSent.enumerated() {
                SentCookieRecord.bind(cookie, eventID: id, position: position, to: &insertSent)
                try insertSent.run()
            }
            for (position, cookie) in event.cookiesSet.enumerated() {
                SetCookieRecord.bind(cookie, eventID: id, position: position, to: &insertSet)
                try insertSet.run()
            }
            for (position, token) in event.urlTokens.enumerated() {
                URLTokenRecord.bind(token, eventID: id, position: position, to: &insertToken)
                try insertToken.run()
            }
            if let classification = event.classification {
                try ClassificationRecord.bind(
                    classification, eventID: id, names: &names, parties: &parties, to: &insertClassification)
                try insertClassification.run()
            }
        }
    }
}
