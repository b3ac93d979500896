import CrumbsModel
import CrumbsReports
import Foundation
import Hummingbird

/// The lists page: which lists are in use, from where, how old, how many rules, which lines were
/// skipped and why; and a button that loads them again (as `crumbs lists reload`).
extension Dashboard {
    func lists(_ request: Request) -> Response {
        html("lists", listsObject(catalog(request), data.lists()))
    }

    func reloadLists(_ request: Request) async -> Response {
        guard await forms.fields(request) != nil else { return FormCheck.refused }
        _ = await data.reloadLists()
        let language = catalog(request).language.rawValue
        return Response(status: .seeOther, headers: [.location: "/lists?lang=\(language)"])
    }

    /// Skipped lines shown per list (the CLI's `crumbs lists --verbose` has them all).
    static let skippedLinesShown = 50

    func listsObject(_ c: Catalog, _ state: DashboardLists) -> [String: Any] {
        var object = layout(.lists, c, title: c.text("dashboard.listsTitle"), path: "/lists")
        let labels: [String: String] = [
            "reloadLabel": "lists.reload", "warningsTitle": "lists.warnings", "kindLabel": "lists.kind",
            "pathLabel": "lists.path", "sourceLabel": "lists.source", "dateLabel": "lists.date",
            "licenceLabel": "lists.licence", "rulesLabel": "lists.rules", "skippedLabel": "lists.skipped",
            "skippedLinesLabel": "lists.skippedLines",
        ]
        Self.add(labels, c, to: &object)
        object["token"] = forms.token
        object["loadedText"] = c.text("lists.loaded", ["time": c.dateTime(state.loaded)])
        object["warnings"] = state.warnings
        object["hasWarnings"] = !state.warnings.isEmpty
        if state.lists.isEmpty { object["none"] = c.text("lists.none") }
        object["lists"] = state.lists.map { list -> [String: Any] in
            [
                "name": list.name, "kind": list.kind, "path": list.path, "source": list.source,
                "licence": list.licence,
                "date": list.modified.map { c.date(Day(containing: $0, in: .current)) } ?? c.text("lists.unknownDate"),
                "counts": c.list(list.counts.map { "\($0.0) \(c.number($0.1))" }), "skipped": c.number(list.skipped),
                "skippedLines": Array(list.skippedLines.prefix(Self.skippedLinesShown)),
                "hasSkippedLines": !list.skippedLines.isEmpty,
            ]
        }
        return object
    }
}
