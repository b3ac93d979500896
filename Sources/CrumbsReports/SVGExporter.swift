import Foundation

/// Draws a `SiteGraph` as a static SVG with Crumbs' own radial layout (`GraphLayout`).
///
/// Node area grows with the sites a third party was seen on (for a site, the third parties it
/// contacted); colour is the node's leading category; tracker edges are red. Every node carries a
/// `<title>` (a tooltip in browsers) and the busiest ones a visible label. All text comes from
/// the network and goes through `XMLText.escape`, so a host named `<script>…` stays text.
public struct SVGExporter: Sendable {
    /// How many third parties and sites get a visible label (by sites, then requests).
    public var labelledThirdParties: Int
    public var labelledSites: Int

    public init(labelledThirdParties: Int = 60, labelledSites: Int = 30) {
        self.labelledThirdParties = labelledThirdParties
        self.labelledSites = labelledSites
    }

    public func render(_ graph: SiteGraph) -> String {
        render(graph, layout: GraphLayout(graph))
    }

    public func render(_ graph: SiteGraph, layout: GraphLayout) -> String {
        let size = Self.number(layout.size)
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(size) \(size)" width="\(size)" \
            height="\(size)" font-family="Helvetica, Arial, sans-serif">
            <title>Crumbs: \(graph.nodes.count) nodes, \(graph.edges.count) edges</title>
            <rect width="100%" height="100%" fill="#ffffff"/>

            """
        var index: [String: Int] = [:]
        for (i, node) in graph.nodes.enumerated() { index[node.id] = i }

        // Edges first, under the nodes; trackers last so that their red is on top.
        // Fainter edges when there are many, so that the overlap stays readable.
        let opacity = Self.number(GraphLayout.rounded(min(0.35, 6 / sqrt(Double(max(graph.edges.count, 1)))) * 10) / 10)
        out += "<g fill=\"none\" stroke-opacity=\"\(opacity)\">\n"
        // Links known only by a guess are dashed.
        for (tracker, inferred) in [(false, false), (false, true), (true, false), (true, true)] {
            let colour = tracker ? GraphPalette.trackerEdge : GraphPalette.otherEdge
            out += "<g stroke=\"\(colour)\"\(inferred ? " stroke-dasharray=\"3 2\"" : "")>\n"
            for edge in graph.edges where edge.tracker == tracker && edge.inferred == inferred {
                guard let s = index[edge.source], let t = index[edge.target] else { continue }
                let (a, b) = (layout.centres[s], layout.centres[t])
                let width = Self.number(GraphLayout.rounded(0.3 + 0.2 * log2(Double(max(edge.requests, 1)))))
                out += "<line x1=\"\(Self.number(a.x))\" y1=\"\(Self.number(a.y))\" x2=\"\(Self.number(b.x))\" "
                out += "y2=\"\(Self.number(b.y))\" stroke-width=\"\(width)\"/>\n"
            }
            out += "</g>\n"
        }
        out += "</g>\n<g stroke=\"#ffffff\" stroke-width=\"0.8\">\n"
        for (i, node) in graph.nodes.enumerated() {
            let centre = layout.centres[i]
            let title = "<title>\(XMLText.escape(Self.tooltip(node)))</title>"
            if node.kind.isOrigin {
                // Sites are squares, third parties circles (as on the HTML page).
                let half = layout.radii[i] * 0.9
                out += "<rect x=\"\(Self.number(centre.x - half))\" y=\"\(Self.number(centre.y - half))\" "
                out += "width=\"\(Self.number(2 * half))\" height=\"\(Self.number(2 * half))\" "
                out += "fill=\"\(GraphPalette.colour(of: node))\">\(title)</rect>\n"
            } else {
                out += "<circle cx=\"\(Self.number(centre.x))\" cy=\"\(Self.number(centre.y))\" "
                out += "r=\"\(Self.number(layout.radii[i]))\" fill=\"\(GraphPalette.colour(of: node))\">"
                out += "\(title)</circle>\n"
            }
        }
        out += "</g>\n<g font-size=\"11\" fill=\"#111827\" text-anchor=\"middle\">\n"
        for i in labelled(graph) {
            let centre = layout.centres[i]
            let y = GraphLayout.rounded(centre.y + layout.radii[i] + 11)
            out += "<text x=\"\(Self.number(centre.x))\" y=\"\(Self.number(y))\">"
            out += "\(XMLText.escape(graph.nodes[i].label))</text>\n"
        }
        out += "</g>\n" + legend() + "</svg>\n"
        return out
    }

    /// Indices of the nodes that get a visible label, in node order.
    func labelled(_ graph: SiteGraph) -> [Int] {
        func top(_ kindIsSite: Bool, _ count: Int) -> [Int] {
            graph.nodes.indices.filter { graph.nodes[$0].kind.isOrigin == kindIsSite }
                .sorted {
                    let (a, b) = (graph.nodes[$0], graph.nodes[$1])
                    return (-a.sites, -a.requests, a.id) < (-b.sites, -b.requests, b.id)
                }
                .prefix(count).map { $0 }
        }
        return (top(false, labelledThirdParties) + top(true, labelledSites)).sorted()
    }

    /// Kind, company, categories and counts: what a reader wants on hover.
    static func tooltip(_ node: SiteGraph.Node) -> String {
        var lines = [node.label]
        switch node.kind {
        case .firstParty: lines.append("site: contacted \(node.sites) third parties, \(node.requests) requests")
        case .device: lines.append("device: seen by \(node.sites) companies, \(node.requests) requests")
        case .thirdParty, .company:
            lines.append("third party on \(node.sites) sites, \(node.requests) requests")
            if let company = node.company, node.kind != .company { lines.append("company: \(company)") }
        }
        if !node.categories.isEmpty { lines.append("categories: " + node.categories.joined(separator: ", ")) }
        if node.setsCookies || node.sendsCookies {
            lines.append(
                "cookies: "
                    + [node.setsCookies ? "set" : nil, node.sendsCookies ? "sent" : nil].compactMap { $0 }.joined(
                        separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    private func legend() -> String {
        var out = "<g font-size=\"12\" fill=\"#111827\">\n"
        let entries = [("site", GraphPalette.firstParty)] + GraphPalette.categories.map { ($0.name, $0.colour) }
        for (row, entry) in entries.enumerated() {
            let y = 20 + row * 16
            out +=
                row == 0
                ? "<rect x=\"11\" y=\"\(y - 9)\" width=\"10\" height=\"10\" fill=\"\(entry.1)\"/>"
                : "<circle cx=\"16\" cy=\"\(y - 4)\" r=\"5\" fill=\"\(entry.1)\"/>"
            out += "<text x=\"26\" y=\"\(y)\">\(XMLText.escape(entry.0))</text>\n"
        }
        return out + "</g>\n"
    }

    /// `12` rather than `12.0`: shorter files, same drawing.
    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
