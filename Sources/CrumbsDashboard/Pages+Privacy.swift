import CrumbsModel
import CrumbsReports
import Foundation
import Hummingbird

/// The privacy page: what is recorded and for how long, and the forget form. Forgetting takes two
/// POSTs: the first counts what would go (nothing changes), the second, from the confirmation
/// the first drew, forgets.
extension Dashboard {
    func privacy(_ request: Request) throws -> Response {
        let c = catalog(request)
        return html("privacy", try privacyObject(c, form: [:], message: nil, confirm: nil))
    }

    func forget(_ request: Request) async throws -> Response {
        guard let fields = await forms.fields(request) else { return FormCheck.refused }
        let c = catalog(request)
        func page(_ message: (String, String)?, confirm: ForgetRequest? = nil, status: HTTPResponse.Status = .ok)
            throws -> Response
        {
            var response = html(
                "privacy", try privacyObject(c, form: fields, message: message, confirm: confirm))
            response.status = status
            return response
        }
        let selection: ForgetRequest
        switch Self.forgetRequest(fields) {
        case .failure(let problem): return try page(("error", c.text(problem.key)), status: .badRequest)
        case .success(let request): selection = request
        }
        let confirmed = fields["confirm"] == "1"
        let count: ForgetCount
        do {
            count = try await data.forget(selection, dryRun: !confirmed)
        } catch {
            return try page(("error", c.text("privacy.failed", ["error": "\(error)"])), status: .internalServerError)
        }
        if count.isEmpty { return try page(("error", c.text("privacy.nothing"))) }
        let values = [
            "events": c.number(count.events), "sent": c.number(count.cookiesSent), "set": c.number(count.cookiesSet),
            "tokens": c.number(count.urlTokens), "days": c.number(count.digestDays),
        ]
        if confirmed { return try page(("done", c.text("privacy.forgotten", values))) }
        return try page(("done", c.text("privacy.wouldForget", values)), confirm: selection)
    }

    enum ForgetProblem: Error {
        case nothingSaid, everythingAlone, badSite, badDate, badRange

        var key: String {
            switch self {
            case .nothingSaid: "privacy.saySomething"
            case .everythingAlone: "privacy.everythingAlone"
            case .badSite: "privacy.badSite"
            case .badDate: "privacy.badDate"
            case .badRange: "privacy.badRange"
            }
        }
    }

    /// The form's fields as a forget request, checked as `crumbs forget` checks its options.
    static func forgetRequest(_ fields: [String: String]) -> Result<ForgetRequest, ForgetProblem> {
        func field(_ name: String) -> String? {
            fields[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        var request = ForgetRequest(site: field("site")?.lowercased(), client: field("client"))
        request.everything = field("everything") == "1"
        if let site = request.site, site.contains(where: { $0.isWhitespace || $0 == "/" }) {
            return .failure(.badSite)
        }
        for (name, keyPath) in [("since", \ForgetRequest.since), ("before", \ForgetRequest.before)] {
            guard let text = field(name) else { continue }
            guard let day = Day(text) else { return .failure(.badDate) }
            request[keyPath: keyPath] = day
        }
        if let since = request.since, let before = request.before, since >= before { return .failure(.badRange) }
        if request.everything {
            var alone = request
            alone.everything = false
            if !alone.isEmpty { return .failure(.everythingAlone) }
        }
        return request.isEmpty ? .failure(.nothingSaid) : .success(request)
    }

    func privacyObject(
        _ c: Catalog, form: [String: String], message: (kind: String, text: String)?, confirm: ForgetRequest?
    ) throws -> [String: Any] {
        var object = layout(.privacy, c, title: c.text("dashboard.privacyTitle"), path: "/privacy")
        if let recording = data.recording() {
            object["recording"] = Self.section(Digest.recordingSection(recording, c))
        }
        let labels: [String: String] = [
            "forgetTitle": "privacy.forgetTitle", "forgetIntro": "privacy.forgetIntro", "siteLabel": "privacy.site",
            "deviceLabel": "dashboard.device", "anyDevice": "privacy.anyDevice", "sinceLabel": "privacy.since",
            "beforeLabel": "privacy.before", "everythingLabel": "privacy.everything", "countLabel": "privacy.count",
            "confirmLabel": "privacy.confirm", "cancelLabel": "privacy.cancel",
        ]
        Self.add(labels, c, to: &object)
        object["token"] = forms.token
        if let message { object["message"] = ["kind": message.kind, "text": message.text] }
        if confirm != nil {
            // The confirmation repeats the fields as they were counted.
            object["confirm"] = [
                "fields": ["site", "client", "since", "before", "everything"].compactMap { name -> [String: String]? in
                    form[name].flatMap { $0.isEmpty ? nil : ["name": name, "value": $0] }
                }
            ]
        }
        for name in ["site", "since", "before"] { object[name] = form[name] ?? "" }
        object["everything"] = form["everything"] == "1"
        object["devices"] = try data.devices().map { device -> [String: Any] in
            [
                "value": device.client, "label": device.name.map { "\($0) (\(device.client))" } ?? device.client,
                "selected": device.client == form["client"],
            ]
        }
        return object
    }
}
