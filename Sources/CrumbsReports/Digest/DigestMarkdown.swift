import Foundation

/// Renders a digest as CommonMark with GitHub tables. Network-derived text is backslash-escaped,
/// so a host named `<script>…` shows as text wherever the markdown is turned into HTML.
enum DigestMarkdown {
    static func render(_ document: DigestDocument) -> String {
        var out = "# \(escape(document.title))\n\n**\(escape(document.headline))**\n"
        for section in document.sections {
            out += "\n## \(escape(section.title))\n"
            // The reach chart repeats the companies table: markdown keeps the table only.
            for block in section.blocks {
                if case .chart(let chart) = block, chart.kind == .horizontal { continue }
                out += "\n" + render(block, document.catalog)
            }
        }
        return out
    }

    static func render(_ block: DigestDocument.Block, _ c: Catalog) -> String {
        switch block {
        case .paragraph(let text):
            return escape(text) + "\n"
        case .list(let items):
            return items.map { "- \(escape($0))\n" }.joined()
        case .table(let table):
            return render(table)
        case .chart(let chart):
            // A chart becomes a table of its non-empty bars.
            let rows = chart.bars.filter { $0.value > 0 }.map { [$0.label, $0.caption] }
            guard !rows.isEmpty else { return c.text("chart.noRequests") + "\n" }
            return escape(chart.title) + "\n\n"
                + render(
                    DigestDocument.Table(
                        columns: [
                            .init(title: c.text(chart.kind == .vertical ? "chart.hour" : "chart.name")),
                            .init(title: c.text("chart.value")),
                        ],
                        rows: rows))
        }
    }

    static func render(_ table: DigestDocument.Table) -> String {
        var out = "| " + table.columns.map { escape($0.title) }.joined(separator: " | ") + " |\n"
        out += "|" + table.columns.map { $0.numeric ? "---:" : "---" }.joined(separator: "|") + "|\n"
        for row in table.rows {
            out += "| " + row.map(escape).joined(separator: " | ") + " |\n"
        }
        return out
    }

    /// Backslash before each character CommonMark reads as inline markup or HTML (`<`, `&`, `*`,
    /// `_`, `[`, `]`, `` ` ``, `|`, `~`, `\`), line breaks folded to spaces, other control characters
    /// dropped. Block markup (`#`, `-`, `1.`) only counts at the start of a line, and every line
    /// here starts with Crumbs' own words or table pipes, so dots and dashes stay readable.
    static func escape(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                out += " "
            } else if scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) {
                continue
            } else if "\\`*_[]<>|~&".unicodeScalars.contains(scalar) {
                out += "\\"
                out.unicodeScalars.append(scalar)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
