import CrumbsModel
import CrumbsReports
import Foundation
import HTTPTypes
import Hummingbird

extension Dashboard {
    enum Page: String, CaseIterable {
        case today, live, graph, digests, devices, lists, privacy, certificate

        var path: String { self == .today ? "/" : "/\(rawValue)" }
    }

    /// What every page's layout needs: its title, the navigation, the language and the switch to
    /// the other one.
    func layout(_ page: Page, _ c: Catalog, title: String, path: String) -> [String: Any] {
        let other: Language = c.language == .en ? .fr : .en
        return [
            "lang": c.language.rawValue, "title": title, "navLabel": c.text("dashboard.nav"),
            "nav": Page.allCases.map { item -> [String: Any] in
                [
                    "href": "\(item.path)?lang=\(c.language.rawValue)", "label": c.text("dashboard.\(item.rawValue)"),
                    "current": item == page,
                ]
            },
            "switchHref": "\(path)?lang=\(other.rawValue)", "switchLang": other.rawValue,
            "switchLabel": c.text("dashboard.otherLanguage"),
        ]
    }

    /// The page's words: each template name gets its catalog key's text.
    static func add(_ labels: [String: String], _ c: Catalog, to object: inout [String: Any]) {
        for (name, key) in labels { object[name] = c.text(key) }
    }

    func catalog(_ request: Request) -> Catalog {
        Catalog(
            LanguageChoice.choose(
                query: request.uri.queryParameters.get("lang"), acceptLanguage: request.headers[.acceptLanguage]))
    }

    func html(_ template: String, _ object: [String: Any]) -> Response {
        let body = library.render(object, withTemplate: template) ?? ""
        return Response(
            status: .ok,
            headers: [.contentType: "text/html; charset=utf-8", .contentLanguage: object["lang"] as? String ?? "en"],
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    func today(_ request: Request) async throws -> Response {
        let c = catalog(request)
        let document = try await data.today().document(c)
        var object = layout(.today, c, title: c.text("dashboard.todayTitle"), path: "/")
        object["headline"] = document.headline
        object["sections"] = document.sections.map(Self.section)
        var scripts = ["/static/today.js"]
        if let trust = Self.trust(request, c) {
            object["trust"] = trust
            scripts.append("/static/trust-check.js")
        }
        object["scripts"] = scripts
        return html("today", object)
    }

    /// Today's digest alone, for `today.js` to put in place of the one the page was drawn with.
    func todayDigest(_ request: Request) async throws -> Response {
        let document = try await data.today().document(catalog(request))
        var response = html(
            "today-digest",
            ["headline": document.headline, "sections": document.sections.map(Self.section)])
        response.headers[.contentLanguage] = catalog(request).language.rawValue
        return response
    }

    func digests(_ request: Request) async throws -> Response {
        let c = catalog(request)
        let archive = try data.archive()
        var object = layout(.digests, c, title: c.text("dashboard.digestsTitle"), path: "/digests")
        if archive.isEmpty { object["none"] = c.text("dashboard.noDigests") }
        func href(_ digest: ArchivedDigest) -> String? {
            digest.htmlPath == nil ? nil : "/digests/\(digest.day).html"
        }
        object["days"] = archive.map { digest -> [String: Any] in
            var day: [String: Any] = ["label": c.date(digest.day)]
            if let link = href(digest) { day["href"] = link }
            return day
        }
        object["hasDays"] = !archive.isEmpty
        object["allTitle"] = c.text("digests.all")
        object["months"] = DigestCalendar.months(
            Dictionary(archive.map { ($0.day, href($0)) }, uniquingKeysWith: { first, _ in first }), c)
        let week = try await data.week()
        if !week.isEmpty {
            let table = DigestDocument.Table(
                columns: [
                    .init(title: c.text("digests.day")), .init(title: c.text("column.sites"), numeric: true),
                    .init(title: c.text("column.companies"), numeric: true),
                    .init(title: c.text("digests.trackerRequests"), numeric: true),
                    .init(title: c.text("column.requests"), numeric: true),
                ],
                rows: week.map {
                    [
                        c.date($0.day), c.number($0.totals.sites), c.number($0.totals.companies),
                        c.number($0.totals.trackerRequests), c.number($0.totals.requests),
                    ]
                })
            object["trend"] = Self.section(
                DigestDocument.Section(title: c.text("digests.trend"), blocks: [.table(table)]))
        }
        return html("digests", object)
    }

    /// A daily digest's own HTML file, by a name that can only be a day.
    func archivedDigest(_ request: Request, _ context: some RequestContext) throws -> Response {
        let file = context.parameters.get("file") ?? ""
        guard file.hasSuffix(".html"), let day = Day(String(file.dropLast(5))),
            let path = try data.archive().first(where: { $0.day == day })?.htmlPath,
            let contents = FileManager.default.contents(atPath: path)
        else { throw HTTPError(.notFound) }
        return Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: contents)))
    }

    func devices(_ request: Request) throws -> Response {
        html("devices", try devicesObject(catalog(request), message: nil))
    }

    /// A device's name from its row's form; an empty name removes it.
    func nameDevice(_ request: Request) async throws -> Response {
        guard let fields = await forms.fields(request), let client = fields["client"], !client.isEmpty else {
            return FormCheck.refused
        }
        let c = catalog(request)
        let name = (fields["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            try data.nameDevice(client: client, name: String(name.prefix(64)))
        } catch {
            var response = html(
                "devices", try devicesObject(c, message: ("error", c.text("devices.failed", ["error": "\(error)"]))))
            response.status = .conflict
            return response
        }
        return html("devices", try devicesObject(c, message: ("done", c.text("devices.saved"))))
    }

    func devicesObject(_ c: Catalog, message: (kind: String, text: String)?) throws -> [String: Any] {
        let devices = try data.devices()
        var object = layout(.devices, c, title: c.text("dashboard.devicesTitle"), path: "/devices")
        if devices.isEmpty { object["none"] = c.text("dashboard.noDevices") }
        if let message { object["message"] = ["kind": message.kind, "text": message.text] }
        let labels: [String: String] = [
            "deviceLabel": "dashboard.device", "clientLabel": "dashboard.client",
            "firstSeenLabel": "dashboard.firstSeen",
            "lastSeenLabel": "dashboard.lastSeen", "requestsLabel": "column.requests", "sitesLabel": "column.sites",
            "nameLabel": "devices.name", "saveLabel": "devices.save",
        ]
        Self.add(labels, c, to: &object)
        object["token"] = forms.token
        object["hasDevices"] = !devices.isEmpty
        object["devices"] = devices.map { device -> [String: Any] in
            [
                "client": device.client, "name": device.name ?? "", "firstSeen": c.dateTime(device.firstSeen),
                "lastSeen": c.dateTime(device.lastSeen), "requests": c.number(device.requests),
                "sites": c.number(device.sites),
            ]
        }
        return object
    }

    /// This browser's standing with the Crumbs certificate, as the proxy forwarding the page
    /// says it (`X-Crumbs-Trust`); nil when the page was not reached through the proxy.
    static func trust(_ request: Request, _ c: Catalog) -> [String: Any]? {
        guard let verdict = request.headers[HTTPField.Name("X-Crumbs-Trust")!] else { return nil }
        let mode = request.headers[HTTPField.Name("X-Crumbs-Interception")!]
        var object: [String: Any] = [
            "trustedText": c.text("trust.trusted"), "notTrustedText": c.text("trust.notTrusted"),
            "installLink": c.text("trust.install"),
        ]
        switch verdict {
        case "trusted": object["sentence"] = c.text("trust.trusted")
        case "not-trusted": object["sentence"] = c.text("trust.notTrusted")
        case "unknown": object["sentence"] = c.text("trust.checking")
        default:
            object["sentence"] = c.text("trust.off")
            return object
        }
        object["modeSentence"] = mode == "on" ? c.text("trust.modeOn") : c.text("trust.modeAuto")
        object["checkImage"] = "https://crumbs.internal/trust-check.gif?t=\(Int(Date().timeIntervalSince1970 * 1000))"
        return object
    }

    /// A digest section as the shared `section` template draws it, charts as tables (the
    /// dashboard's policy allows no inline style; tables read well with a screen reader).
    static func section(_ section: DigestDocument.Section) -> [String: Any] {
        DigestTemplates.object(section, chartsAsTables: true)
    }
}
