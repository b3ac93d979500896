import CrumbsModel
import Foundation
import GRDB

/// The cookie heuristics' side of the store: the events they need, and what they found per day.
extension EventStore {
    /// Events with `since <= time < until` that sent or set a cookie or carried a URL token, oldest
    /// first, with their cookies, URL tokens and classification: the input of `CookieInspector`.
    /// The plain requests and tunnels that make up most of a day are never read (see
    /// `EventStore+Evidence.swift` for how).
    public func cookieEvidence(since: Date? = nil, until: Date? = nil) throws -> [RequestEvent] {
        try cookieEvidence(in: (since ?? .distantPast)..<(until ?? .distantFuture))
    }

    /// Stores `report` as the findings of `day` (YYYY-MM-DD), replacing any earlier findings of
    /// that day in one transaction, so that running the heuristics again is harmless.
    public func replaceCookieFindings(day: String, report: CookieReport) throws {
        try Self.checkDay(day, .write, path: path)
        do {
            try writer.write { db in
                try db.execute(sql: "DELETE FROM cookie_report WHERE day = ?", arguments: [day])
                try db.execute(
                    sql: "INSERT INTO cookie_report (day, events_inspected) VALUES (?, ?)",
                    arguments: [day, report.eventsInspected])
                let insert = try db.cachedStatement(sql: CookieFindingRecord.insertSQL)
                for record in CookieFindingRecord.records(of: report) {
                    try insert.execute(arguments: record.arguments(day: day))
                }
            }
        } catch {
            throw StoreError(.write, path: path, underlying: error)
        }
    }

    /// The findings stored for `day`, or nil when the heuristics never ran on that day.
    public func cookieFindings(day: String) throws -> CookieReport? {
        try Self.checkDay(day, .read, path: path)
        do {
            return try writer.read { db in
                guard
                    let inspected = try Int.fetchOne(
                        db, sql: "SELECT events_inspected FROM cookie_report WHERE day = ?", arguments: [day])
                else { return nil }
                let rows = try Row.fetchCursor(
                    db,
                    sql: "SELECT \(CookieFindingRecord.columns) FROM cookie_finding WHERE day = ? "
                        + "ORDER BY kind, position",
                    arguments: [day])
                var records: [CookieFindingRecord] = []
                while let row = try rows.next() { records.append(try CookieFindingRecord(row: row)) }
                return try CookieFindingRecord.report(of: records, eventsInspected: inspected)
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// Days that have stored findings, oldest first.
    public func cookieFindingDays() throws -> [String] {
        do {
            return try writer.read { db in try String.fetchAll(db, sql: "SELECT day FROM cookie_report ORDER BY day") }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// A day is a calendar date written YYYY-MM-DD, so that days sort as text.
    private static func checkDay(_ day: String, _ operation: StoreError.Operation, path: String) throws {
        let digits = day.utf8.map { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        let shaped = digits.count == 10 && digits.enumerated().allSatisfy { $0.element == ![4, 7].contains($0.offset) }
        let dashes = Array(day.utf8).enumerated().allSatisfy {
            [4, 7].contains($0.offset) == ($0.element == UInt8(ascii: "-"))
        }
        let month = Int(day.dropFirst(5).prefix(2)) ?? 0
        let date = Int(day.dropFirst(8).prefix(2)) ?? 0
        let valid = shaped && dashes && (1...12).contains(month) && (1...31).contains(date)
        guard valid else {
            throw StoreError(operation, path: path, reason: "a day must be written YYYY-MM-DD, not '\(day)'")
        }
    }
}
