import CrumbsReports
import Foundation
import Hummingbird

/// The graph page: the same drawing as `crumbs graph --format html` (its script served as a file,
/// its data in a JSON block), a legend, and the same nodes and links as tables, which work
/// without script and with a screen reader.
extension Dashboard {
    /// Rows per table: the largest by requests (a month can have a hundred thousand links).
    static let graphRows = 500

    static func graphQuery(_ request: Request) -> GraphQuery {
        let query = request.uri.queryParameters
        let days = query.get("days").flatMap(Int.init).flatMap { GraphQuery.ranges.contains($0) ? $0 : nil } ?? 7
        let grouping = query.get("by").flatMap(GraphGrouping.init(rawValue:)) ?? .domain
        return GraphQuery(days: days, grouping: grouping, observedOnly: query.get("observed") == "1")
    }

    func graph(_ request: Request) async throws -> Response {
        let c = catalog(request)
        let query = Self.graphQuery(request)
        let graph = try await data.graph(query)
        var object = layout(.graph, c, title: c.text("dashboard.graphTitle"), path: "/graph")
        let labels: [String: String] = [
            "rangeLabel": "graph.range", "groupingLabel": "graph.grouping", "observedLabel": "graph.observedOnly",
            "showLabel": "graph.show", "legendTitle": "graph.legend", "searchLabel": "graph.search",
            "companyLabel": "live.company", "categoryLabel": "live.category", "allCompanies": "graph.allCompanies",
            "allCategories": "graph.allCategories", "zoomInLabel": "graph.zoomIn", "zoomOutLabel": "graph.zoomOut",
            "fitLabel": "graph.fit", "canvasLabel": "graph.canvasLabel", "noscript": "graph.noscript",
        ]
        Self.add(labels, c, to: &object)
        object["ranges"] = GraphQuery.ranges.map {
            ["value": $0, "label": c.text("graph.range\($0)"), "selected": $0 == query.days] as [String: Any]
        }
        object["groupings"] = [GraphGrouping.domain, .host, .company].map {
            ["value": $0.rawValue, "label": c.text("graph.by.\($0.rawValue)"), "selected": $0 == query.grouping]
                as [String: Any]
        }
        object["observedOnly"] = query.observedOnly
        guard !graph.nodes.isEmpty else {
            object["empty"] = c.text("graph.empty")
            return html("graph", object)
        }
        var drawing: [String: Any] = [:]
        let inferred = graph.edges.filter(\.inferred).count
        if inferred > 0 {
            drawing["inferredNote"] = c.text(
                "graph.inferredNote", ["inferred": c.number(inferred), "edges": c.number(graph.edges.count)])
        }
        drawing["legend"] = GraphLegend.entries(for: graph).map { entry -> [String: Any] in
            let key = "graph.legend.\(entry.name)"
            let label = c.text(key) == key ? c.category(entry.name) : c.text(key)
            return ["swatch": GraphLegend.swatch(entry), "label": label]
        }
        let words = [
            "shown", "matching", "neighbours", "site", "device", "thirdParty", "company", "categories", "cookies",
            "set", "sent", "seen",
        ]
        drawing["data"] = HTMLGraphExporter.data(
            graph, layout: GraphLayout(graph),
            text: Dictionary(uniqueKeysWithValues: words.map { ($0, c.text("graph.js.\($0)")) }))
        drawing["nodes"] = Self.section(
            DigestDocument.Section(title: c.text("graph.nodesTitle"), blocks: Self.nodeTable(graph, c)))
        drawing["edges"] = Self.section(
            DigestDocument.Section(title: c.text("graph.edgesTitle"), blocks: Self.edgeTable(graph, c)))
        object["drawing"] = drawing
        object["scripts"] = ["/static/graph.js"]
        return html("graph", object)
    }

    static func nodeTable(_ graph: SiteGraph, _ c: Catalog) -> [DigestDocument.Block] {
        let nodes = graph.nodes.sorted { $0.requests != $1.requests ? $0.requests > $1.requests : $0.id < $1.id }
        let table = DigestDocument.Table(
            columns: [
                .init(title: c.text("graph.name")), .init(title: c.text("column.kind")),
                .init(title: c.text("column.company")), .init(title: c.text("column.categories")),
                // A site's count is of the third parties it contacted; a third party's, of the sites.
                .init(title: c.text("graph.linked"), numeric: true),
                .init(title: c.text("column.requests"), numeric: true),
            ],
            rows: nodes.prefix(graphRows).map {
                [
                    $0.label, c.text("graph.kind.\($0.kind.rawValue)"), $0.company ?? "",
                    c.list($0.categories.map(c.category)), c.number($0.sites), c.number($0.requests),
                ]
            })
        return truncation(shown: table.rows.count, total: nodes.count, c) + [.table(table)]
    }

    static func edgeTable(_ graph: SiteGraph, _ c: Catalog) -> [DigestDocument.Block] {
        let labels = Dictionary(graph.nodes.map { ($0.id, $0.label) }, uniquingKeysWith: { first, _ in first })
        let edges = graph.edges.sorted { $0.requests != $1.requests ? $0.requests > $1.requests : $0.id < $1.id }
        let table = DigestDocument.Table(
            columns: [
                .init(title: c.text("graph.from")), .init(title: c.text("graph.to")),
                .init(title: c.text("graph.link")), .init(title: c.text("column.requests"), numeric: true),
                .init(title: c.text("graph.days"), numeric: true),
                .init(title: c.text("graph.cookies"), numeric: true),
            ],
            rows: edges.prefix(graphRows).map { edge in
                let link =
                    edge.inferred
                    ? c.text("graph.guessed")
                    : edge.inferredRequests > 0
                        ? c.text("graph.partlyGuessed", ["n": c.number(edge.inferredRequests)])
                        : c.text("graph.observed")
                let kind = edge.tracker ? c.text("graph.legend.tracker") : c.text("graph.legend.other")
                return [
                    labels[edge.source] ?? edge.source, labels[edge.target] ?? edge.target, "\(kind), \(link)",
                    c.number(edge.requests), c.number(edge.daysSeen), c.number(edge.cookies),
                ]
            })
        return truncation(shown: table.rows.count, total: edges.count, c) + [.table(table)]
    }

    static func truncation(shown: Int, total: Int, _ c: Catalog) -> [DigestDocument.Block] {
        shown < total
            ? [.paragraph(c.text("graph.truncated", ["shown": c.number(shown), "total": c.number(total)]))] : []
    }
}
