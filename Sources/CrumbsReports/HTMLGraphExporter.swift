import Foundation

/// Writes a `SiteGraph` as one self-contained interactive HTML page: a canvas with pan, zoom,
/// hover to highlight a node's neighbours, filters by company and category, and search.
///
/// Nothing is fetched: the style, the script and the graph are inline, so the file works offline
/// and can be mailed; its Content-Security-Policy forbids every fetch. The graph travels as JSON in a `<script type="application/json">` block in
/// which `<`, `>` and `&` are `\u` escapes, so no host name can close the block; the script puts
/// network text on the page only through `textContent` and canvas `fillText`, never as markup.
/// The layout is precomputed (`GraphLayout`), so the browser only draws: 5,000 nodes stay fluid.
public struct HTMLGraphExporter: Sendable {
    /// The page's `<title>` and heading (escaped like everything else).
    public var title: String

    public init(title: String = "Crumbs: sites and the third parties they contact") {
        self.title = title
    }

    public func render(_ graph: SiteGraph) -> String {
        render(graph, layout: GraphLayout(graph))
    }

    public func render(_ graph: SiteGraph, layout: GraphLayout) -> String {
        let heading = XMLText.escape(title)  // XML escaping is HTML-safe for text and attributes
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" \
            content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'">
            <title>\(heading)</title>
            <style>\(HTMLGraphPage.style)</style>
            </head>
            <body>
            <header>
            <h1>\(heading)</h1>
            <div id="controls">
            <input id="search" type="search" placeholder="Search sites, hosts, companies" aria-label="Search">
            <select id="company" aria-label="Company"><option value="">All companies</option></select>
            <select id="category" aria-label="Category"><option value="">All categories</option></select>
            <button id="zoom-in" type="button" aria-label="Zoom in">+</button>
            <button id="zoom-out" type="button" aria-label="Zoom out">&#8722;</button>
            <button id="fit" type="button">Fit</button>
            <span id="status">\(graph.nodes.count) nodes, \(graph.edges.count) edges</span>
            </div>
            <p id="legend">Red lines: trackers. Dashed lines: links Crumbs inferred from timing \
            (\(graph.edges.filter(\.inferred).count) of \(graph.edges.count)), not observed.</p>
            <ul id="key">\(key(graph))</ul>
            </header>
            <main><canvas id="graph"></canvas><div id="tip" hidden></div></main>
            <noscript><p>This page draws the graph with JavaScript. Without it, use the SVG, GraphML or \
            CSV export.</p></noscript>
            <script type="application/json" id="graph-data">\(Self.data(graph, layout: layout))</script>
            <script>\(HTMLGraphPage.script)</script>
            </body>
            </html>

            """
    }

    /// The legend: what each shape, colour and line means, for the categories this graph has.
    func key(_ graph: SiteGraph) -> String {
        let names = [
            "site": "site (square)", "device": "device (square)", "uncategorised": "third party, no category",
            "tracker": "tracker link", "other": "other link", "inferred": "inferred link (a guess)",
        ]
        return GraphLegend.entries(for: graph).map {
            "<li>\(GraphLegend.swatch($0)) \(XMLText.escape(names[$0.name] ?? $0.name))</li>"
        }.joined()
    }

    /// The embedded graph: nodes as objects with their position, edges as compact arrays
    /// `[source index, target index, requests, daysSeen, cookies, tracker 0/1, inferred 0/1]` (a month can have
    /// a hundred thousand edges, and keys would double the file).
    ///
    /// `text` replaces the script's English words (the dashboard in French).
    public static func data(_ graph: SiteGraph, layout: GraphLayout, text: [String: String] = [:]) -> String {
        var index: [String: Int] = [:]
        for (i, node) in graph.nodes.enumerated() { index[node.id] = i }
        var out = "{\"size\":\(SVGExporter.number(layout.size)),\"nodes\":["
        for (i, node) in graph.nodes.enumerated() {
            if i > 0 { out += "," }
            out += "{\"id\":\(JSONText.string(node.id)),\"label\":\(JSONText.string(node.label))"
            out += ",\"kind\":\"\(node.kind.rawValue)\",\"company\":"
            out += node.company.map(JSONText.string) ?? "null"
            out += ",\"categories\":[" + node.categories.map(JSONText.string).joined(separator: ",") + "]"
            out += ",\"requests\":\(node.requests),\"sites\":\(node.sites)"
            out +=
                ",\"firstSeen\":\"\(GraphDate.string(node.firstSeen))\",\"lastSeen\":\"\(GraphDate.string(node.lastSeen))\""
            out += ",\"setsCookies\":\(node.setsCookies),\"sendsCookies\":\(node.sendsCookies)"
            out += ",\"x\":\(SVGExporter.number(layout.centres[i].x)),\"y\":\(SVGExporter.number(layout.centres[i].y))"
            out += ",\"r\":\(SVGExporter.number(layout.radii[i])),\"colour\":\"\(GraphPalette.colour(of: node))\"}"
        }
        out += "],\"edges\":["
        var first = true
        for edge in graph.edges {
            guard let s = index[edge.source], let t = index[edge.target] else { continue }
            out += first ? "" : ","
            first = false
            out += "[\(s),\(t),\(edge.requests),\(edge.daysSeen),\(edge.cookies),\(edge.tracker ? 1 : 0)"
            out += ",\(edge.inferred ? 1 : 0)]"
        }
        out += "]"
        if !text.isEmpty {
            out += ",\"text\":{"
            out += text.sorted { $0.key < $1.key }.map { JSONText.string($0.key) + ":" + JSONText.string($0.value) }
                .joined(separator: ",")
            out += "}"
        }
        return out + "}"
    }
}

/// JSON string literals that are also inert inside an HTML `<script>` block.
enum JSONText {
    static func string(_ text: String) -> String {
        var out = "\""
        out.reserveCapacity(text.utf8.count + 2)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            // `<` stops `</script>`, `<!--` and `<script` inside the data block; `>` and `&` for
            // good measure; U+2028/2029 end lines in older JavaScript parsers.
            case "<", ">", "&", "\u{2028}", "\u{2029}":
                out += "\\u" + hex4(scalar.value)
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u" + hex4(scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    private static func hex4(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
