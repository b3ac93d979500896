import CrumbsDashboard
import CrumbsModel
import CrumbsStore
import Foundation
import Testing

@testable import crumbs

/// The pages that change things (forget, device names, list reload) and the ones that describe
/// the installation (lists, certificate): a change needs the dashboard's own Origin and the form
/// token, forgetting counts first and deletes only once confirmed, bad input is said in the
/// page's language and changes nothing, and every name is escaped.
@Suite(.timeLimit(.minutes(2)))
struct DashboardFormsTests {
    @Test func forgettingCountsFirstThenForgetsOnlyWhenConfirmed() async throws {
        try await DashboardTests.withFixture { client, data in
            let store = try #require(data.store)
            let before = try store.events().count
            let page = try await DashboardTests.get(client, "/privacy")
            #expect(page.status == 200 && page.body.contains("About this record"))
            #expect(page.body.contains("Events are deleted after 30 days"))
            let token = try DashboardTests.token(page.body)

            let count = try await DashboardTests.post(
                client, "/privacy/forget", ["token": token, "site": "news.example"])
            #expect(count.status == 200)
            // Every event on the site or under it, as `crumbs forget --site` counts them.
            let expected = try store.forgetPreview(EventSelection(site: "news.example"), timeZone: .current).events
            #expect(expected == 10)
            #expect(count.body.contains("Events to forget: 10 (cookies sent: 1,"), "\(count.body)")
            #expect(count.body.contains("<input type=\"hidden\" name=\"site\" value=\"news.example\">"))
            #expect(count.body.contains("<input type=\"hidden\" name=\"confirm\" value=\"1\">"))
            #expect(try store.events().count == before, "counting changes nothing")

            let done = try await DashboardTests.post(
                client, "/privacy/forget", ["token": token, "site": "news.example", "confirm": "1"])
            #expect(done.status == 200 && done.body.contains("Events forgotten: 10 ("), "\(done.body)")
            #expect(try store.events().count == before - 10)
            #expect(try !store.events().contains { $0.host == "news.example" })

            let again = try await DashboardTests.post(
                client, "/privacy/forget", ["token": token, "site": "news.example"], language: "fr")
            #expect(again.body.contains("Rien ne correspond"))
        }
    }

    @Test func changesComeOnlyFromTheDashboardsOwnPages() async throws {
        try await DashboardTests.withFixture { client, data in
            let store = try #require(data.store)
            let before = try store.events().count
            let token = try DashboardTests.token(try await DashboardTests.get(client, "/privacy").body)
            let fields = ["token": token, "everything": "1", "confirm": "1"]
            for origin in [
                nil, "http://evil.example", "https://crumbs.internal", "http://crumbs.internal:8080", "null",
            ] {
                let refused = try await DashboardTests.post(client, "/privacy/forget", fields, origin: origin)
                #expect(refused.status == 403, "Origin \(origin ?? "none")")
            }
            let wrongToken = try await DashboardTests.post(
                client, "/privacy/forget", ["token": String(token.reversed()), "everything": "1", "confirm": "1"])
            #expect(wrongToken.status == 403)
            let noToken = try await DashboardTests.post(client, "/privacy/forget", ["everything": "1", "confirm": "1"])
            #expect(noToken.status == 403)
            let viaGet = try await DashboardTests.get(client, "/privacy/forget?everything=1&confirm=1&token=\(token)")
            #expect(viaGet.status == 405 || viaGet.status == 404)
            #expect(try store.events().count == before, "nothing was forgotten")
            // The dashboard's own address (not crumbs.internal) is its own origin too.
            let port = try #require(client.port)
            let own = try await DashboardTests.post(
                client, "/privacy/forget", ["token": token, "site": "blog.example"], origin: "http://127.0.0.1:\(port)")
            #expect(own.status == 200 && own.body.contains("Events to forget"))
        }
    }

    @Test func badForgetInputIsSaidAndChangesNothing() async throws {
        try await DashboardTests.withFixture { client, data in
            let before = try #require(data.store).events().count
            let token = try DashboardTests.token(try await DashboardTests.get(client, "/privacy").body)
            let cases: [([String: String], String)] = [
                ([:], "Say what to forget"),
                (["site": "news example"], "A site is a host or domain name"),
                (["site": "news.example/path"], "A site is a host or domain name"),
                (["since": "2026-13-45"], "Dates are written YYYY-MM-DD"),
                (["since": "2026-11-20", "before": "2026-11-19"], "The start must come before the end"),
                (["everything": "1", "site": "news.example"], "takes no other condition"),
            ]
            for (fields, message) in cases {
                let answer = try await DashboardTests.post(
                    client, "/privacy/forget", fields.merging(["token": token, "confirm": "1"]) { $1 })
                #expect(answer.status == 400, "\(fields)")
                #expect(answer.body.contains(message), "\(fields): \(answer.body.prefix(200))")
            }
            let french = try await DashboardTests.post(client, "/privacy/forget", ["token": token], language: "fr")
            #expect(french.body.contains("Dites ce qu&#39;il faut oublier"))
            #expect(try #require(data.store).events().count == before)
            // A hostile site name comes back as text in the form.
            let hostile = try await DashboardTests.post(
                client, "/privacy/forget", ["token": token, "site": "\"><script>alert(1)</script>"])
            #expect(!hostile.body.contains("<script>alert(1)") && hostile.body.contains("&quot;&gt;&lt;script&gt;"))
        }
    }

    @Test func devicesAreNamedFromTheirRow() async throws {
        try await DashboardTests.withFixture { client, data in
            let store = try #require(data.store)
            let page = try await DashboardTests.get(client, "/devices")
            let token = try DashboardTests.token(page.body)
            // The fixture's device keeps its hostile name as text in the field.
            #expect(page.body.contains("value=\"&lt;img src=x onerror=alert(1)&gt;\""))
            let saved = try await DashboardTests.post(
                client, "/devices/name", ["token": token, "client": "127.0.0.1:5000", "name": "Salle 2 <portable>"])
            #expect(saved.status == 200 && saved.body.contains("Saved."))
            #expect(try store.client(named: "Salle 2 <portable>") == "127.0.0.1:5000")
            try store.nameDevice(client: "10.0.0.9", name: "Taken")
            let taken = try await DashboardTests.post(
                client, "/devices/name", ["token": token, "client": "127.0.0.1:5000", "name": "taken"])
            #expect(taken.status == 409 && taken.body.contains("The name was not saved"))
            let refused = try await DashboardTests.post(
                client, "/devices/name", ["token": token, "client": "127.0.0.1:5000", "name": "x"],
                origin: "http://attacker.test")
            #expect(refused.status == 403)
        }
    }

    @Test func listsShowWhatIsLoadedAndReloadByPost() async throws {
        try await DashboardTests.withFixture { client, data in
            let page = try await DashboardTests.get(client, "/lists")
            #expect(page.status == 200 && page.body.contains("<h2>easyprivacy.txt</h2>"))
            #expect(page.body.contains("network 12,345"))
            #expect(page.body.contains("12: ##&lt;script&gt;alert(1)&lt;/script&gt; (cosmetic)"))
            #expect(page.body.contains("disconnect.json: &lt;b&gt;not found&lt;/b&gt;"))
            let french = try await DashboardTests.get(client, "/lists", language: "fr")
            #expect(french.body.contains("Lignes ignorées") && french.body.contains("network 12\u{202F}345"))
            let token = try DashboardTests.token(page.body)
            let reload = try await DashboardTests.post(client, "/lists/reload?lang=fr", ["token": token])
            #expect(reload.status == 303 && reload.headers["location"] == "/lists?lang=fr")
            #expect(data.reloads.value.withLock { $0 } == 1)
            let forged = try await DashboardTests.post(client, "/lists/reload", ["token": token], origin: nil)
            #expect(forged.status == 403 && data.reloads.value.withLock { $0 } == 1)
        }
    }

    @Test func digestsHaveACalendarAndTheWeeksTrend() async throws {
        try await DashboardTests.withDashboard { client in
            let page = try await DashboardTests.get(client, "/digests")
            #expect(page.body.contains("<h2>November 2026</h2>"))
            // 1 November 2026 is a Sunday: English weeks start on Sunday, so no blank cell first.
            #expect(page.body.contains("<tbody><tr><td>1</td>"))
            #expect(page.body.contains("<a href=\"/digests/2026-11-20.html\" aria-label=\"November 20, 2026\">20</a>"))
            #expect(page.body.contains("The last seven days"))
            let french = try await DashboardTests.get(client, "/digests", language: "fr")
            // French weeks start on Monday: six blank days before Sunday the 1st.
            #expect(french.body.contains("<h2>Novembre 2026</h2>"))
            #expect(french.body.contains("<tbody><tr>" + String(repeating: "<td></td>", count: 6) + "<td>1</td>"))
            #expect(french.body.contains("Les sept derniers jours"))
        }
    }

    @Test func todaysDigestComesAloneForTheRefresh() async throws {
        try await DashboardTests.withDashboard { client in
            let page = try await DashboardTests.get(client, "/")
            #expect(
                page.body.contains("data-refresh=\"/today/digest?lang=en\"") && page.body.contains("/static/today.js"))
            let fragment = try await DashboardTests.get(client, "/today/digest?lang=fr")
            #expect(fragment.status == 200 && fragment.body.hasPrefix("<p class=\"headline\">"))
            #expect(!fragment.body.contains("<html") && fragment.body.contains("Les entreprises et leur portée"))
            #expect(!fragment.body.contains("<script>alert(1)</script>"))
        }
    }

    @Test func theCertificatePageInBothLanguages() async throws {
        try await DashboardTests.withDashboard { client in
            let page = try await DashboardTests.get(client, "/certificate")
            #expect(page.status == 200 && page.body.contains("AB:CD:EF:01"))
            #expect(page.body.contains("href=\"/crumbs-ca.pem\"") && page.body.contains("Certificate Trust Settings"))
            let french = try await DashboardTests.get(client, "/certificate", language: "fr")
            #expect(french.body.contains("Réglages des certificats") && french.body.contains("Empreinte SHA-256"))
        }
    }
}

/// The dashboard keeps the week before today between views: for that day only, ten minutes at
/// most, and not after a forget.
struct WeekBeforeTests {
    @Test func keptForTodayTenMinutesAndUntilAForget() {
        let week = WeekBefore()
        let today = Day(year: 2026, month: 12, day: 7)
        let now = Date(timeIntervalSince1970: 1_796_000_000)
        let totals = [ActivityTotals(requests: 10, pages: 2, sites: 2, companies: 1, trackerRequests: 3)]
        #expect(week.known(today: today, now: now) == nil)
        week.keep(totals, today: today, now: now)
        #expect(week.known(today: today, now: now.addingTimeInterval(599)) == totals)
        #expect(week.known(today: today, now: now.addingTimeInterval(601)) == nil, "ten minutes at most")
        #expect(week.known(today: today.adding(days: 1), now: now) == nil, "another day, another week")
        week.forget()
        #expect(week.known(today: today, now: now) == nil)
    }
}
