import Foundation

/// Renders a digest as one self-contained HTML page: inline CSS and inline SVG charts, no script,
/// no external resource (a Content-Security-Policy forbids them too), readable on a phone and
/// printable. Every string is escaped: host and company names come from the network and lists.
enum DigestHTML {
    static func render(_ document: DigestDocument) -> String {
        var out = """
            <!DOCTYPE html>
            <html lang="\(document.catalog.language.rawValue)">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
            <title>\(escape(document.title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <main>
            <h1>\(escape(document.title))</h1>
            <p class="headline">\(escape(document.headline))</p>

            """
        for section in document.sections {
            out += "<section>\n<h2>\(escape(section.title))</h2>\n"
            for block in section.blocks { out += render(block) }
            out += "</section>\n"
        }
        out += "</main>\n</body>\n</html>\n"
        return out
    }

    static func render(_ block: DigestDocument.Block) -> String {
        switch block {
        case .paragraph(let text):
            return "<p>\(escape(text))</p>\n"
        case .list(let items):
            return "<ul>\n" + items.map { "<li>\(escape($0))</li>\n" }.joined() + "</ul>\n"
        case .table(let table):
            var out = "<div class=\"scroll\"><table>\n<thead><tr>"
            out += table.columns.map { "<th\(numeric($0))>\(escape($0.title))</th>" }.joined()
            out += "</tr></thead>\n<tbody>\n"
            for row in table.rows {
                out += "<tr>"
                for (index, cell) in row.enumerated() {
                    let column = index < table.columns.count ? table.columns[index] : .init(title: "")
                    out += "<td\(numeric(column))>\(escape(cell))</td>"
                }
                out += "</tr>\n"
            }
            return out + "</tbody>\n</table></div>\n"
        case .chart(let chart):
            return "<figure>\n" + DigestSVG.render(chart)
                + "<figcaption>\(escape(chart.title))</figcaption>\n</figure>\n"
        }
    }

    private static func numeric(_ column: DigestDocument.Column) -> String {
        column.numeric ? " class=\"num\"" : ""
    }

    static func escape(_ text: String) -> String { XMLText.escape(text) }

    static let style = """

        :root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --bar: #4a78c2; --hot: #c0392b; \
        --line: #dadce0; }
        body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); \
        background: #fff; }
        main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
        h1 { font-size: 1.4rem; margin: 0.5rem 0; }
        h2 { font-size: 1.15rem; margin: 1.5rem 0 0.5rem; border-bottom: 1px solid var(--line); }
        .headline { font-size: 1.25rem; font-weight: 600; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; min-width: 100%; font-size: 0.9rem; }
        th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--line); \
        vertical-align: top; }
        td:first-child { white-space: nowrap; }
        td { min-width: 4rem; }
        th { color: var(--muted); font-weight: 600; }
        .num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        figure { margin: 0.5rem 0; }
        figcaption { color: var(--muted); font-size: 0.85rem; }
        svg { width: 100%; max-width: 40rem; height: auto; display: block; }
        svg text { font: 17px system-ui, sans-serif; fill: var(--ink); }
        svg .bar { fill: var(--bar); }
        svg .part { fill: var(--hot); }
        svg .axis { stroke: var(--line); }
        @media print {
          body { font-size: 11pt; }
          main { max-width: none; padding: 0; }
          section, figure, tr { break-inside: avoid; }
          .scroll { overflow: visible; }
        }

        """
}
