import CrumbsModel
import Foundation
import GRDB

/// What a forget removed (or, for a dry run, would remove).
public struct ForgetReport: Sendable, Equatable {
    public var events = 0
    public var cookiesSent = 0
    public var cookiesSet = 0
    public var urlTokens = 0
    /// Import records left without any event, removed with them.
    public var imports = 0
    /// Remaining events whose Referer or Origin site was the forgotten site: the column is cleared.
    public var referencesCleared = 0
    /// Days whose stored cookie findings were dropped (they are recomputed from what remains).
    public var cookieFindingDays: [Day] = []
    /// The local days the forgotten events belonged to, oldest first.
    public var days: [Day] = []

    public init() {}

    public var isEmpty: Bool { events == 0 && referencesCleared == 0 && cookieFindingDays.isEmpty }
}

/// How the files were scrubbed after a forget.
public struct ScrubReport: Sendable, Equatable {
    /// Whether `VACUUM` rebuilt the database (it returns freed pages to the file system).
    public var vacuumed: Bool
    /// Whether the write-ahead log was checkpointed and truncated to zero bytes. False when another
    /// connection kept reading an older snapshot the whole time; the log is truncated at the
    /// next checkpoint.
    public var walTruncated: Bool
    public var seconds: Double
    public var bytesBefore: Int64
    public var bytesAfter: Int64
}

extension EventStore {
    /// Counts what `forget(_:)` would remove, without changing anything.
    public func forgetPreview(_ selection: EventSelection, timeZone: TimeZone) throws -> ForgetReport {
        do {
            return try writer.read { db in
                guard !selection.isEmpty else { return ForgetReport() }
                let (condition, arguments) = selection.condition
                return try Self.measure(
                    db, selection, selected: "SELECT e.id FROM event e WHERE \(condition)", arguments: arguments,
                    timeZone: timeZone)
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// Deletes the selected events with their cookies, URL tokens and classification in one
    /// transaction, clears references to a forgotten site from the events that remain, and drops
    /// the stored cookie findings of the days concerned (they named the forgotten parties).
    /// Deleted content is overwritten with zeros (`secure_delete`), not just unlinked; `scrub`
    /// then removes it from the write-ahead log and gives the space back.
    ///
    /// An interrupted forget (even SIGKILL) leaves the store as it was before, or as it is after.
    public func forget(_ selection: EventSelection, timeZone: TimeZone) throws -> ForgetReport {
        guard !selection.isEmpty else { return ForgetReport() }
        do {
            return try writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA secure_delete = ON")
                var report = ForgetReport()
                try db.inTransaction {
                    // The selection is evaluated once (a scan, when it names a site) into a
                    // temporary table of ids that every count and the deletion then read.
                    let (condition, arguments) = selection.condition
                    try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS forget_selected (id INTEGER PRIMARY KEY)")
                    try db.execute(sql: "DELETE FROM temp.forget_selected")
                    try db.execute(
                        sql: "INSERT INTO temp.forget_selected SELECT e.id FROM event e WHERE \(condition)",
                        arguments: arguments)
                    report = try Self.measure(
                        db, selection, selected: "SELECT id FROM temp.forget_selected", arguments: [],
                        timeZone: timeZone)
                    try Self.delete(db, selection, report: &report)
                    try db.execute(sql: "DELETE FROM temp.forget_selected")
                    return .commit
                }
                return report
            }
        } catch {
            throw StoreError(.forget, path: path, underlying: error)
        }
    }

    /// Deletes the events older than `cutoff` in small transactions (retention): a running proxy's
    /// recorder takes the write lock between them, so forwarding never waits for the whole
    /// deletion. Returns the number of events deleted. Cookie findings and digests stay: they are
    /// aggregates (see `forget` for the strict version).
    public func deleteEvents(before cutoff: Date, batchSize: Int = 5_000) throws -> Int {
        var total = 0
        do {
            try writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA secure_delete = ON") }
            while true {
                let first = total == 0
                let deleted = try writer.write { db in
                    if first { try Self.startRememberingParties(db) }
                    try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS retention_batch (id INTEGER PRIMARY KEY)")
                    try db.execute(sql: "DELETE FROM temp.retention_batch")
                    try db.execute(
                        sql: "INSERT INTO temp.retention_batch "
                            + "SELECT id FROM event WHERE time < ? ORDER BY time LIMIT ?",
                        arguments: [StoredCode.milliseconds(cutoff), batchSize])
                    try Self.rememberParties(db, of: "SELECT id FROM temp.retention_batch")
                    try db.execute(sql: "DELETE FROM event WHERE id IN (SELECT id FROM temp.retention_batch)")
                    let count = db.changesCount
                    try Self.deleteEmptyImports(db)
                    return count
                }
                total += deleted
                if deleted < batchSize { break }
            }
            // The hosts, sites and clients that only the deleted events named go as well.
            if total > 0 { _ = try writer.write { db in try Self.deleteUnusedParties(db) } }
        } catch {
            throw StoreError(.forget, path: path, underlying: error)
        }
        return total
    }

    /// Deletes the stored cookie findings of days before `cutoff`; returns how many days went.
    public func deleteCookieFindings(before cutoff: Day) throws -> Int {
        do {
            return try writer.write { db in
                try db.execute(sql: "DELETE FROM cookie_report WHERE day < ?", arguments: [cutoff.description])
                return db.changesCount
            }
        } catch {
            throw StoreError(.forget, path: path, underlying: error)
        }
    }

    /// Removes deleted content from the files: `VACUUM` (when `vacuum`) rebuilds the database
    /// without its free pages, then the write-ahead log is checkpointed and truncated so that no
    /// old page image survives in it. Retries the checkpoint for up to `patience` while another
    /// connection (a running proxy's reader) still holds an older snapshot.
    public func scrub(vacuum: Bool, patience: Duration = .seconds(5)) throws -> ScrubReport {
        let started = ContinuousClock.now
        let before = fileBytes()
        do {
            let truncated = try writer.writeWithoutTransaction { db -> Bool in
                try db.execute(sql: "PRAGMA secure_delete = ON")
                if vacuum { try db.execute(sql: "VACUUM") }
                guard path != ":memory:" else { return true }
                let deadline = ContinuousClock.now + patience
                while true {
                    // (busy, log frames, checkpointed frames): busy = 0 means the log was emptied.
                    let row = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                    if let busy: Int = row?[0], busy == 0 { return true }
                    if ContinuousClock.now >= deadline { return false }
                    Thread.sleep(forTimeInterval: 0.05)
                }
            }
            return ScrubReport(
                vacuumed: vacuum, walTruncated: truncated,
                seconds: (ContinuousClock.now - started) / .seconds(1), bytesBefore: before, bytesAfter: fileBytes())
        } catch {
            throw StoreError(.forget, path: path, underlying: error)
        }
    }

    /// The database file and its write-ahead log, in bytes.
    public func fileBytes() -> Int64 {
        guard path != ":memory:" else { return 0 }
        return ["", "-wal"].reduce(0) { total, suffix in
            let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int64) ?? nil
            return total + (size ?? 0)
        }
    }

    // MARK: - Steps, on one connection

    /// Counts what the events of `selected` (a query of ids, with its `arguments`) take with them.
    private static func measure(
        _ db: Database, _ selection: EventSelection, selected: String, arguments: StatementArguments,
        timeZone: TimeZone
    ) throws -> ForgetReport {
        var report = ForgetReport()
        report.events = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM (\(selected))", arguments: arguments) ?? 0
        for (table, keyPath) in [
            ("cookie_sent", \ForgetReport.cookiesSent), ("cookie_set", \.cookiesSet), ("url_token", \.urlTokens),
        ] {
            report[keyPath: keyPath] =
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM \(table) WHERE event_id IN (\(selected))", arguments: arguments) ?? 0
        }
        // Quarter hours map to one local day in every time zone in use (offsets are multiples of
        // 15 minutes), and a month has fewer than 3,000 of them.
        let quarters = try Int64.fetchAll(
            db, sql: "SELECT DISTINCT time / 900000 FROM event WHERE id IN (\(selected))",
            arguments: arguments)
        report.days = Set(quarters.map { Day(containing: Date(timeIntervalSince1970: Double($0) * 900), in: timeZone) })
            .sorted()
        var findingDays = Set(report.days.map(\.description))
        if let site = selection.site {
            let under = "%." + EventSelection.escapedForLike(site)
            report.referencesCleared =
                try Int.fetchOne(
                    db,
                    sql: "SELECT COUNT(*) FROM event e WHERE (\(Self.siteColumnMatch("referer_site")) OR "
                        + "\(Self.siteColumnMatch("origin_site"))) AND e.id NOT IN (\(selected))",
                    arguments: [site, under, site, under] + arguments) ?? 0
            // Findings name parties and list sites: any day that mentions the site goes as well.
            let mentioning = try String.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT day FROM cookie_finding WHERE instr(party, ?) > 0 OR instr(other_party, ?) > 0
                    OR instr(site_list, ?) > 0 OR instr(via, ?) > 0
                    """, arguments: [site, site, site, site])
            findingDays.formUnion(mentioning)
        }
        if selection.everything { findingDays.formUnion(try String.fetchAll(db, sql: "SELECT day FROM cookie_report")) }
        let stored = Set(try String.fetchAll(db, sql: "SELECT day FROM cookie_report"))
        report.cookieFindingDays = findingDays.intersection(stored).compactMap { Day($0) }.sorted()
        report.imports =
            try Int.fetchOne(
                db,
                sql: """
                    SELECT COUNT(*) FROM import i
                    WHERE EXISTS (SELECT 1 FROM event e WHERE e.import_id = i.id AND e.id IN (\(selected)))
                    AND NOT EXISTS (SELECT 1 FROM event e WHERE e.import_id = i.id AND e.id NOT IN (\(selected)))
                    """, arguments: arguments + arguments) ?? 0
        return report
    }

    private static func delete(_ db: Database, _ selection: EventSelection, report: inout ForgetReport) throws {
        try startRememberingParties(db)
        try rememberParties(db, of: "SELECT id FROM temp.forget_selected")
        if let site = selection.site {
            // Also the site's names that remaining events only refer to (cleared below).
            try db.execute(
                sql: "INSERT OR IGNORE INTO temp.forget_parties SELECT id FROM \(EventSelection.matchingParties)",
                arguments: [site, "%." + EventSelection.escapedForLike(site)])
        }
        // The cookie, URL token and classification rows go by cascade (foreign keys are on).
        try db.execute(sql: "DELETE FROM event WHERE id IN (SELECT id FROM temp.forget_selected)")
        if let site = selection.site {
            for column in ["referer_site", "origin_site"] {
                try db.execute(
                    sql: "UPDATE event SET \(column) = NULL WHERE \(Self.siteColumnMatch(column))",
                    arguments: [site, "%." + EventSelection.escapedForLike(site)])
            }
        }
        for day in report.cookieFindingDays {
            try db.execute(sql: "DELETE FROM cookie_report WHERE day = ?", arguments: [day.description])
        }
        try deleteEmptyImports(db)
        if selection.everything {
            try db.execute(sql: "DELETE FROM import")
            try db.execute(sql: "DELETE FROM device")
            try db.execute(sql: "DELETE FROM capture_session")
        }
        try deleteUnusedParties(db)
    }

    // MARK: - Party names that no event uses any more

    static func startRememberingParties(_ db: Database) throws {
        try db.execute(sql: "CREATE TEMP TABLE IF NOT EXISTS forget_parties (id INTEGER PRIMARY KEY)")
        try db.execute(sql: "DELETE FROM temp.forget_parties")
    }

    /// Remembers the hosts, sites and clients that the events of `selected` (a query of event ids)
    /// name, before they are deleted.
    static func rememberParties(_ db: Database, of selected: String) throws {
        for column in ["client", "host", "referer_site", "origin_site"] {
            try db.execute(
                sql: "INSERT OR IGNORE INTO temp.forget_parties SELECT \(column) FROM event "
                    + "WHERE id IN (\(selected)) AND \(column) IS NOT NULL")
        }
        try db.execute(
            sql: "INSERT OR IGNORE INTO temp.forget_parties SELECT first_party_site FROM classification "
                + "WHERE event_id IN (\(selected)) AND first_party_site IS NOT NULL")
    }

    /// Deletes the remembered names that no remaining event uses, and moves the tables'
    /// generation on when any went (writers drop their cached ids). Host and first-party site
    /// are checked through their indexes; client, Referer and Origin by one scan each, only
    /// while candidates remain. Returns how many names went.
    @discardableResult
    static func deleteUnusedParties(_ db: Database) throws -> Int {
        let uses = [
            ("event", "host"), ("classification", "first_party_site"), ("event", "client"), ("event", "referer_site"),
            ("event", "origin_site"),
        ]
        for (table, column) in uses {
            guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM temp.forget_parties)") == true else { break }
            try db.execute(
                sql: "DELETE FROM temp.forget_parties WHERE id IN "
                    + "(SELECT \(column) FROM \(table) WHERE \(column) IN (SELECT id FROM temp.forget_parties))")
        }
        try db.execute(sql: "DELETE FROM party WHERE id IN (SELECT id FROM temp.forget_parties)")
        let deleted = db.changesCount
        try db.execute(sql: "DELETE FROM temp.forget_parties")
        if deleted > 0 { try bumpNameGeneration(db) }
        return deleted
    }

    /// An import whose events are all gone is forgotten too (it names the file and device).
    /// Imports that never produced an event (every entry skipped) stay: they still prevent a
    /// second import of the same file.
    static func deleteEmptyImports(_ db: Database) throws {
        try db.execute(
            sql: """
                DELETE FROM import WHERE events > 0 AND NOT EXISTS (SELECT 1 FROM event WHERE import_id = import.id)
                """)
    }

    /// The column names the site or a name under it (two parameters, as `matchingParties`).
    private static func siteColumnMatch(_ column: String) -> String {
        "\(column) IN \(EventSelection.matchingParties)"
    }
}
