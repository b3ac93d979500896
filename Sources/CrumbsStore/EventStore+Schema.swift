import GRDB

extension EventStore {
    /// The schema history. A migration that has shipped never changes: a new need gets a new
    /// migration ("v2", ...) so that databases written by older versions upgrade in place.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "event") { t in
                t.primaryKey("id", .integer)
                // Unix seconds, so that other tools (sqlite3, Python) read times without help.
                t.column("time", .double).notNull().indexed()
                t.column("client", .text).notNull()
                t.column("kind", .text).notNull()
                t.column("method", .text).notNull()
                t.column("scheme", .text).notNull()
                t.column("host", .text).notNull().indexed()
                t.column("port", .integer).notNull()
                t.column("path", .text)
                t.column("status", .integer)
                t.column("bytes_up", .integer).notNull()
                t.column("bytes_down", .integer).notNull()
                t.column("duration", .double).notNull()
                t.column("content_type", .text)
                t.column("referer_site", .text)
                t.column("origin_site", .text)
                t.column("sec_fetch_site", .text)
                t.column("sec_fetch_mode", .text)
                t.column("sec_fetch_dest", .text)
                t.column("failure", .text)
            }
            // Cookies keep only a keyed hash of their value: the store never sees a raw value.
            // Keyed by (event_id, position) WITHOUT ROWID: one B-tree per table instead of a
            // table plus an event_id index, clustered the way cookies are read (by event, in
            // header order), and still serving the cascade on delete.
            try db.create(table: "cookie_sent", options: .withoutRowID) { t in
                t.column("event_id", .integer).notNull().references("event", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("name", .text).notNull()
                t.column("value_hash", .text).notNull()
                t.column("value_length", .integer).notNull()
                t.primaryKey(["event_id", "position"])
            }
            try db.create(table: "cookie_set", options: .withoutRowID) { t in
                t.column("event_id", .integer).notNull().references("event", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("name", .text).notNull()
                t.column("value_hash", .text).notNull()
                t.column("value_length", .integer).notNull()
                t.column("domain", .text)
                t.column("path", .text)
                t.column("expires", .double)
                t.column("secure", .boolean).notNull()
                t.column("http_only", .boolean).notNull()
                t.column("same_site", .text)
                t.column("partitioned", .boolean).notNull()
                t.primaryKey(["event_id", "position"])
            }
        }
        migrator.registerMigration("v2: classification") { db in
            // The Accept header hints at the resource type when Sec-Fetch-Dest is missing.
            try db.alter(table: "event") { t in t.add(column: "accept", .text) }
            // What the classifier concluded, one row per classified event. Apart from `event` so
            // that events can be classified again (new lists) without touching what was observed.
            // `lists` and `categories` are comma-separated tokens (list names, category names).
            try db.create(table: "classification") { t in
                t.primaryKey("event_id", .integer).references("event", onDelete: .cascade)
                t.column("first_party_site", .text).indexed()
                t.column("attribution", .text).notNull()
                t.column("confidence", .text).notNull()
                t.column("request_type", .text).notNull()
                t.column("third_party", .boolean).notNull()
                t.column("same_owner", .boolean).notNull()
                t.column("tracker", .boolean).notNull()
                t.column("lists", .text).notNull()
                t.column("rule", .text)
                t.column("rule_location", .text)
                t.column("company", .text).indexed()
                t.column("categories", .text).notNull()
            }
        }
        migrator.registerMigration("v3: interception and identifier tokens") { db in
            try db.alter(table: "event") { t in t.add(column: "intercepted", .boolean).notNull().defaults(to: false) }
            // Cookie heuristics (identifier-like values, leaks, syncing) need how random a value
            // looked and keyed hashes of its parts; `tokens` is space-separated hex hashes.
            for table in ["cookie_sent", "cookie_set"] {
                try db.alter(table: table) { t in
                    t.add(column: "entropy", .double).notNull().defaults(to: 0)
                    t.add(column: "tokens", .text).notNull().defaults(to: "")
                }
            }
            // Identifier-like URL parameters, hashed with the cookie key: name and hash only.
            try db.create(table: "url_token", options: .withoutRowID) { t in
                t.column("event_id", .integer).notNull().references("event", onDelete: .cascade)
                t.column("position", .integer).notNull()
                t.column("source", .text).notNull()
                t.column("host", .text).notNull()
                t.column("name", .text).notNull()
                t.column("value_hash", .text).notNull()
                t.primaryKey(["event_id", "position"])
            }
            // Leak and sync detection look a hash up across all events.
            try db.create(index: "url_token_value_hash", on: "url_token", columns: ["value_hash"])
        }
        migrator.registerMigration("v4: cookie findings") { db in
            // One row per day that the cookie heuristics ran on, so that "looked, found nothing"
            // differs from "never looked". `day` is the local calendar day, YYYY-MM-DD.
            try db.create(table: "cookie_report") { t in
                t.primaryKey("day", .text)
                t.column("events_inspected", .integer).notNull()
            }
            // What they found (`CookieReport`), one row per finding, in report order. One wide
            // table for five kinds of finding: each kind fills the columns it has (see
            // CookieFindingRecord), so a day is read with one query. Evidence is
            // names, sites, counts and keyed hashes (`value_hashes`, space-separated): no values.
            try db.create(table: "cookie_finding", options: .withoutRowID) { t in
                t.column("day", .text).notNull().references("cookie_report", onDelete: .cascade)
                t.column("kind", .text).notNull()
                t.column("position", .integer).notNull()
                t.column("cookie_name", .text).notNull()
                t.column("party", .text).notNull()
                t.column("other_party", .text)
                t.column("company", .text)
                t.column("parameter", .text)
                t.column("via", .text)
                t.column("count", .integer).notNull()
                t.column("set_count", .integer).notNull()
                t.column("sites", .integer).notNull()
                t.column("site_list", .text).notNull()
                t.column("value_hashes", .text).notNull()
                t.column("secure", .boolean).notNull()
                t.column("http_only", .boolean).notNull()
                t.column("same_site", .text)
                t.column("partitioned", .boolean).notNull()
                t.column("lifetime", .text).notNull()
                t.column("lifetime_days", .double)
                t.column("reason", .text)
                t.column("third_party", .boolean).notNull()
                t.column("tracker", .boolean).notNull()
                t.column("days", .integer).notNull()
                t.primaryKey(["day", "kind", "position"])
            }
        }
        migrator.registerMigration("v5: event source") { db in
            // Which pipeline input observed the event: proxy, intercepted, har or capture. Old
            // rows came from the proxy, decrypted or not; `intercepted` stays for old readers.
            try db.alter(table: "event") { t in t.add(column: "source", .text).notNull().defaults(to: "proxy") }
            try db.execute(sql: "UPDATE event SET source = 'intercepted' WHERE intercepted")
            // No index: reports that select by source do so within a time range, which the time
            // index finds; another index would cost every insert (the proxy's hot path) for that.
        }
        migrator.registerMigration("v6: imports") { db in
            // One row per recording imported (HAR now, capture files later): what it was, who
            // wrote it, and what became of its entries. `sha256` (of the file as given) makes a
            // second import of the same file a no-op.
            try db.create(table: "import") { t in
                t.primaryKey("id", .integer)
                t.column("file_name", .text).notNull()
                t.column("sha256", .text).notNull().unique()
                t.column("size", .integer).notNull()
                t.column("format", .text).notNull()
                t.column("exporter", .text)
                t.column("exporter_version", .text)
                t.column("browser", .text)
                t.column("device", .text).notNull()
                t.column("imported_at", .double).notNull()
                t.column("entries", .integer).notNull()
                t.column("events", .integer).notNull()
                t.column("skipped", .integer).notNull()
                t.column("pages", .integer).notNull()
            }
            try db.alter(table: "event") { t in
                t.add(column: "import_id", .integer).references("import", onDelete: .cascade)
            }
            // Partial: proxy rows (import_id NULL) are not in it, so the proxy's inserts do not pay.
            try db.execute(sql: "CREATE INDEX event_import ON event(import_id) WHERE import_id IS NOT NULL")
        }
        migrator.registerMigration("v7: devices") { db in
            // Names people give their devices ("Kitchen tablet"), keyed by the client value as
            // stored in `event.client` (an address, a keyed pseudonym, or an import's label).
            try db.create(table: "device") { t in
                t.primaryKey("client", .text)
                t.column("name", .text).notNull().unique().collate(.nocase)
                t.column("named_at", .double).notNull()
            }
            // No index on event.client: per-device reports select within a time range (the time
            // index), and an index would cost the proxy's every insert for the rare full scans of
            // `crumbs devices` and `forget --client`.
        }
        migrator.registerMigration("v8: compact rows") { db in try compactRows(db) }
        migrator.registerMigration("v9: capture sessions") { db in
            // One row per live capture (`crumbs capture`, `crumbs run --capture`): where, for
            // how long, and libpcap's own counters, so that a report can say what was missed.
            try db.create(table: "capture_session") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("interface", .text).notNull()
                t.column("filter", .text)
                t.column("started", .double).notNull()
                t.column("ended", .double).notNull()
                t.column("received", .integer).notNull()
                t.column("dropped_kernel", .integer).notNull()
                t.column("dropped_interface", .integer).notNull()
                t.column("packets_read", .integer).notNull()
                t.column("events", .integer).notNull()
            }
        }
        return migrator
    }

    /// v8: every repeated string of `event` and `classification` moves into `party` (hosts,
    /// sites, clients) or `name` (the rest) and the rows hold its id (see NameTable.swift); kinds, sources, attributions and confidences become `StoredCode`s; times
    /// integer milliseconds, durations integer microseconds. About 350 bytes per event became
    /// about 150 (README, "Store size"). The two tables are rebuilt (SQLite's documented way to
    /// change column types); GRDB runs migrations with foreign keys off and checks them before
    /// committing, so the cookie and token rows keep their events.
    private static func compactRows(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE name (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)")
        try db.execute(sql: "CREATE TABLE party (id INTEGER PRIMARY KEY, text TEXT NOT NULL UNIQUE)")
        // Sec-Fetch-Site, -Mode and -Dest as one name (StoredCode.fetchMetadata).
        let fetchMetadata = """
            CASE WHEN sec_fetch_site IS NULL AND sec_fetch_mode IS NULL AND sec_fetch_dest IS NULL THEN NULL ELSE \
            COALESCE(sec_fetch_site, '') || char(31) || COALESCE(sec_fetch_mode, '') || char(31) || \
            COALESCE(sec_fetch_dest, '') END
            """
        // Lists, rule and its location as one name (StoredCode.rule).
        let rule = """
            CASE WHEN COALESCE(lists, '') = '' AND rule IS NULL AND rule_location IS NULL THEN NULL ELSE \
            COALESCE(lists, '') || char(31) || COALESCE(rule, '') || char(31) || COALESCE(rule_location, '') END
            """
        let columns: [(table: String, source: String, column: String)] = [
            ("party", "event", "client"), ("party", "event", "host"), ("party", "event", "referer_site"),
            ("party", "event", "origin_site"), ("party", "classification", "first_party_site"),
            ("name", "event", "method"), ("name", "event", "scheme"), ("name", "event", "content_type"),
            ("name", "event", fetchMetadata), ("name", "event", "accept"),
            ("name", "classification", "request_type"), ("name", "classification", rule),
            ("name", "classification", "company"), ("name", "classification", "categories"),
        ]
        for (table, source, column) in columns {
            try db.execute(
                sql: "INSERT OR IGNORE INTO \(table) (text) SELECT DISTINCT \(column) FROM \(source) "
                    + "WHERE \(column) IS NOT NULL AND (\(column) <> '' OR '\(column)' NOT IN ('lists', 'categories'))")
        }
        try db.execute(
            sql: """
                CREATE TABLE event_v8 (
                  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, client INTEGER NOT NULL, kind INTEGER NOT NULL,
                  method INTEGER NOT NULL, scheme INTEGER NOT NULL, host INTEGER NOT NULL, port INTEGER,
                  path TEXT, status INTEGER, bytes_up INTEGER NOT NULL, bytes_down INTEGER NOT NULL,
                  duration INTEGER NOT NULL, content_type INTEGER, referer_site INTEGER, origin_site INTEGER,
                  sec_fetch INTEGER, failure TEXT, accept INTEGER,
                  source INTEGER NOT NULL, import_id INTEGER REFERENCES import(id) ON DELETE CASCADE)
                """)
        let id = { (column: String) in "(SELECT id FROM name WHERE text = \(column))" }
        let party = { (column: String) in "(SELECT id FROM party WHERE text = \(column))" }
        try db.execute(
            sql: """
                INSERT INTO event_v8 SELECT id, CAST(round(time * 1000) AS INTEGER), \(party("client")), \(StoredCode.sqlCase("kind", StoredCode.kinds)),
                  \(id("method")), \(id("scheme")), \(party("host")), NULLIF(port, \(StoredCode.sqlDefaultPort("scheme"))), path, status, bytes_up, bytes_down,
                  CAST(round(duration * 1000000) AS INTEGER), \(id("content_type")), \(party("referer_site")), \(party("origin_site")),
                  \(id(fetchMetadata)), failure, \(id("accept")),
                  \(StoredCode.sqlCase("source", StoredCode.sources)), import_id
                FROM event
                """)
        try db.execute(
            sql: """
                CREATE TABLE classification_v8 (
                  event_id INTEGER PRIMARY KEY REFERENCES event(id) ON DELETE CASCADE, first_party_site INTEGER,
                  attribution INTEGER NOT NULL, confidence INTEGER NOT NULL, request_type INTEGER NOT NULL,
                  third_party BOOLEAN NOT NULL, same_owner BOOLEAN NOT NULL, tracker BOOLEAN NOT NULL, rule INTEGER,
                  company INTEGER, categories INTEGER)
                """)
        try db.execute(
            sql: """
                INSERT INTO classification_v8 SELECT event_id, \(party("first_party_site")),
                  \(StoredCode.sqlCase("attribution", StoredCode.attributions)),
                  \(StoredCode.sqlCase("confidence", StoredCode.confidences)), \(id("request_type")), third_party,
                  same_owner, tracker, \(id(rule)), \(id("company")), \(id("NULLIF(categories, '')"))
                FROM classification
                """)
        try db.execute(sql: "DROP TABLE classification")
        try db.execute(sql: "DROP TABLE event")
        try db.execute(sql: "ALTER TABLE event_v8 RENAME TO event")
        try db.execute(sql: "ALTER TABLE classification_v8 RENAME TO classification")
        try db.execute(sql: "CREATE INDEX event_on_time ON event(time)")
        try db.execute(sql: "CREATE INDEX event_on_host ON event(host)")
        try db.execute(sql: "CREATE INDEX event_import ON event(import_id) WHERE import_id IS NOT NULL")
        try db.execute(sql: "CREATE INDEX classification_on_first_party_site ON classification(first_party_site)")
        try db.execute(sql: "CREATE INDEX classification_on_company ON classification(company)")
        // For people reading the store with sqlite3 or Python: the rows with their names.
        let name = { (column: String) in "(SELECT text FROM name WHERE id = \(column))" }
        let partyName = { (column: String) in "(SELECT text FROM party WHERE id = \(column))" }
        let code = { (column: String, names: [String]) in
            "CASE \(column) "
                + names.enumerated().map { "WHEN \($0.offset) THEN '\($0.element)'" }.joined(separator: " ")
                + " END"
        }
        try db.execute(
            sql: """
                CREATE VIEW event_named AS SELECT e.id, e.time / 1000.0 AS time, \(partyName("e.client")) AS client,
                  \(code("e.kind", StoredCode.kinds.map(\.rawValue))) AS kind, \(name("e.method")) AS method,
                  \(name("e.scheme")) AS scheme, \(partyName("e.host")) AS host,
                  COALESCE(e.port, \(StoredCode.sqlDefaultPort(name("e.scheme")))) AS port, e.path, e.status, e.bytes_up,
                  e.bytes_down, e.duration / 1000000.0 AS duration, \(name("e.content_type")) AS content_type,
                  \(partyName("e.referer_site")) AS referer_site, \(partyName("e.origin_site")) AS origin_site,
                  replace(\(name("e.sec_fetch")), char(31), ' ') AS sec_fetch, e.failure, \(name("e.accept")) AS accept,
                  \(code("e.source", StoredCode.sources.map(\.rawValue))) AS source, e.import_id,
                  \(partyName("c.first_party_site")) AS first_party_site,
                  \(code("c.attribution", StoredCode.attributions.map(\.rawValue))) AS attribution,
                  \(code("c.confidence", StoredCode.confidences.map(\.rawValue))) AS confidence,
                  \(name("c.request_type")) AS request_type, c.third_party, c.same_owner, c.tracker,
                  replace(\(name("c.rule")), char(31), ' ') AS rule,
                  \(name("c.company")) AS company, \(name("c.categories")) AS categories
                FROM event e LEFT JOIN classification c ON c.event_id = e.id
                """)
    }
}
