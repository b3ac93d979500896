import CrumbsModel
import Foundation
import GRDB
import Testing

@testable import CrumbsStore

/// `EventStore.forget`: what goes, what stays, and that the bytes leave the files.
@Suite(.timeLimit(.minutes(2)))
struct ForgetTests {
    static let utc = TimeZone(identifier: "UTC")!
    static let day1 = Date(timeIntervalSince1970: 1_777_593_600)  // 2026-05-01 00:00 UTC

    /// A page of `site` (its document and one third-party request with cookies and a URL token)
    /// for `client` at `time`.
    static func page(_ site: String, client: String, at time: Date, source: RequestEvent.Source = .intercepted)
        -> [RequestEvent]
    {
        var document = RequestEvent(
            time: time, clientAddress: client, method: "GET", scheme: "https", host: "www.\(site)", port: 443,
            path: "/article-about-\(site)", status: 200, refererSite: "search.example", source: source)
        document.classification = Classification(
            firstPartySite: site, attribution: .navigation, confidence: .high, requestType: "document")
        var pixel = RequestEvent(
            time: time + 1, clientAddress: client, method: "GET", scheme: "https", host: "pixel.tracker.example",
            port: 443, path: "/p.gif", status: 200, refererSite: site, originSite: site,
            cookiesSent: [SentCookie(name: "uid", valueHash: "h-\(site)", valueLength: 16)],
            cookiesSet: [SetCookieObservation(name: "uid", valueHash: "s-\(site)", valueLength: 16)], source: source,
            urlTokens: [URLToken(source: .referer, host: "www.\(site)", name: "ref", valueHash: "t-\(site)")])
        pixel.classification = Classification(
            firstPartySite: site, attribution: .referer, confidence: .high, requestType: "image", isThirdParty: true,
            isTracker: true, company: "Tracker Inc", categories: ["analytics"])
        return [document, pixel]
    }

    static func filled(_ store: EventStore) throws {
        try store.append(
            page("secret-clinic.example", client: "10.0.0.2", at: day1 + 3600)
                + page("news.example", client: "10.0.0.2", at: day1 + 7200)
                + page("news.example", client: "10.0.0.3", at: day1 + 86_400 + 600)
                + page("secret-clinic.example", client: "10.0.0.3", at: day1 + 2 * 86_400 + 60))
        // A navigation from the forgotten site to another: the other site's event stays, its
        // Referer site goes.
        var onward = page("shop.example", client: "10.0.0.2", at: day1 + 3700)
        onward[0].refererSite = "secret-clinic.example"
        try store.append(onward)
    }

    static func count(_ store: EventStore, _ sql: String) throws -> Int {
        try store.writer.read { db in try Int.fetchOne(db, sql: sql) ?? -1 }
    }

    @Test func forgettingASiteRemovesItsEventsRowsAndReferences() throws {
        let store = try EventStore.inMemory()
        try Self.filled(store)
        try store.replaceCookieFindings(
            day: "2026-05-01",
            report: CookieReport(
                thirdPartyCookies: [
                    CookieReport.ThirdPartyCookie(party: "tracker.example", name: "uid", lifetime: .session)
                ], eventsInspected: 4))
        try store.replaceCookieFindings(day: "2026-05-02", report: CookieReport(eventsInspected: 2))
        let selection = EventSelection(site: "Secret-Clinic.example.")
        let preview = try store.forgetPreview(selection, timeZone: Self.utc)
        #expect(preview.events == 4 && preview.cookiesSent == 2 && preview.cookiesSet == 2 && preview.urlTokens == 2)
        #expect(preview.referencesCleared == 1)
        #expect(preview.days.map(\.description) == ["2026-05-01", "2026-05-03"])
        #expect(preview.cookieFindingDays.map(\.description) == ["2026-05-01"])
        #expect(try store.eventCount() == 10, "a preview changes nothing")

        let report = try store.forget(selection, timeZone: Self.utc)
        #expect(report == preview)
        #expect(try store.eventCount() == 6)
        for table in ["cookie_sent", "cookie_set", "url_token", "classification"] {
            #expect(
                try Self.count(store, "SELECT COUNT(*) FROM \(table) WHERE event_id NOT IN (SELECT id FROM event)") == 0
            )
        }
        #expect(try Self.count(store, "SELECT COUNT(*) FROM cookie_sent") == 3)
        #expect(
            try Self.count(
                store,
                "SELECT COUNT(*) FROM event_named WHERE host LIKE '%secret-clinic%' "
                    + "OR referer_site LIKE '%secret-clinic%' OR origin_site LIKE '%secret-clinic%'") == 0)
        #expect(try Self.count(store, "SELECT COUNT(*) FROM event_named WHERE referer_site = 'search.example'") == 2)
        #expect(try Self.count(store, "SELECT COUNT(*) FROM party WHERE text LIKE '%secret-clinic%'") == 0)
        #expect(try Self.count(store, "SELECT COUNT(*) FROM party WHERE text = 'news.example'") == 1)
        #expect(try Self.count(store, "SELECT COUNT(*) FROM url_token WHERE host LIKE '%secret-clinic%'") == 0)
        #expect(try store.cookieFindings(day: "2026-05-01") == nil, "findings of a day concerned are dropped")
        #expect(try store.cookieFindings(day: "2026-05-02") != nil, "other days keep theirs")
        #expect(try store.forget(selection, timeZone: Self.utc).isEmpty, "a second forget finds nothing")
    }

    @Test func conditionsCombineAndAnEmptySelectionForgetsNothing() throws {
        let store = try EventStore.inMemory()
        try Self.filled(store)
        #expect(EventSelection().isEmpty)
        #expect(try store.forget(EventSelection(), timeZone: Self.utc).events == 0)
        #expect(try store.eventCount() == 10)
        // One client's events before the second day.
        let report = try store.forget(
            EventSelection(clients: ["10.0.0.2"], until: Self.day1 + 86_400), timeZone: Self.utc)
        #expect(report.events == 6)
        #expect(try store.eventCount() == 4)
        #expect(try store.devices().map(\.client) == ["10.0.0.3"])
        // By source: nothing from HAR imports here.
        #expect(try store.forgetPreview(EventSelection(sources: [.har]), timeZone: Self.utc).events == 0)
        #expect(try store.forget(EventSelection(everything: true), timeZone: Self.utc).events == 4)
        #expect(try store.eventCount() == 0)
    }

    @Test func aSiteMatchesItselfAndNamesUnderItOnly() throws {
        let store = try EventStore.inMemory()
        try store.append(
            Self.page("example.com", client: "a", at: Self.day1)
                + Self.page("notexample.com", client: "a", at: Self.day1)
                + Self.page("ex_ample.com", client: "a", at: Self.day1))
        let report = try store.forget(EventSelection(site: "example.com"), timeZone: Self.utc)
        #expect(report.events == 2)
        #expect(try store.eventCount() == 4, "notexample.com is not under example.com; _ is no wildcard")
    }

    @Test func forgettingAnImportsEventsRemovesTheImportRecordToo() throws {
        let store = try EventStore.inMemory()
        let record = ImportRecord(
            fileName: "secret-clinic.har", sha256: String(repeating: "ab", count: 32), size: 10, format: "har",
            device: "laptop", importedAt: Self.day1)
        let id = try store.recordImport(record) { appender in
            try appender.append(Self.page("secret-clinic.example", client: "laptop", at: Self.day1, source: .har))
            var final = record
            (final.entries, final.events, final.pages) = (2, 2, 1)
            return final
        }.id
        try store.append(Self.page("news.example", client: "10.0.0.2", at: Self.day1))
        let report = try store.forget(EventSelection(importID: id), timeZone: Self.utc)
        #expect(report.events == 2 && report.imports == 1)
        #expect(try store.imports().isEmpty)
        #expect(try store.eventCount() == 2)
    }

    /// Without VACUUM too: secure_delete zeroes the cells and free pages, the checkpoint empties the log.
    @Test(arguments: [true, false])
    func theForgottenBytesLeaveTheDatabaseFileAndItsLog(vacuum: Bool) throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("crumbs.sqlite").path
            let store = try EventStore(path: path)
            // Enough pages that deleted cells would survive in free pages without secure_delete.
            for round in 0..<50 {
                try store.append(
                    Self.page("secret-clinic.example", client: "10.0.0.2", at: Self.day1 + Double(round) * 60)
                        + Self.page("news.example", client: "10.0.0.2", at: Self.day1 + Double(round) * 60 + 30))
            }
            let before = try Self.filesBytes(path)
            #expect(before.range(of: Data("secret-clinic".utf8)) != nil, "the test would prove nothing")
            _ = try store.forget(EventSelection(site: "secret-clinic.example"), timeZone: Self.utc)
            let scrub = try store.scrub(vacuum: vacuum)
            #expect(scrub.walTruncated)
            let after = try Self.filesBytes(path)
            #expect(after.range(of: Data("secret-clinic".utf8)) == nil)
            #expect(after.range(of: Data("news.example".utf8)) != nil)
            #expect(try store.eventCount() == 100)
        }
    }

    @Test func retentionDeletesInBatchesAndKeepsRecentEvents() throws {
        let store = try EventStore.inMemory()
        let old = (0..<1_234).map { index in
            RequestEvent(
                time: Self.day1 + Double(index), clientAddress: "a", method: "GET", scheme: "http", host: "old.example",
                port: 80)
        }
        try store.append(old + Self.page("news.example", client: "a", at: Self.day1 + 86_400))
        #expect(try store.deleteEvents(before: Self.day1 + 86_400, batchSize: 100) == 1_234)
        #expect(try store.eventCount() == 2)
    }

    static func filesBytes(_ path: String) throws -> Data {
        var data = Data()
        for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
            data += try Data(contentsOf: URL(fileURLWithPath: path + suffix))
        }
        return data
    }
}
