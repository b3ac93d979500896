import Foundation

/// Renders a digest for a terminal: aligned columns, bar charts drawn with block characters, and
/// ANSI colour only when `color` is set (the CLI sets it when stdout is a TTY).
///
/// Control characters are removed from every string: a host name carrying an escape sequence
/// must not be able to move the cursor or retitle the terminal.
struct DigestText {
    var color: Bool
    var catalog = Catalog(.en)
    /// Cells longer than this are cut with "…", so that one long list cannot wrap a whole table.
    var maxCellWidth = 40
    var chartWidth = 40

    func render(_ document: DigestDocument) -> String {
        var out = style(Self.clean(document.title), "1") + "\n\n" + style(Self.clean(document.headline), "1;33") + "\n"
        for section in document.sections {
            out += "\n" + style(Self.clean(section.title).uppercased(), "1;36") + "\n"
            out += section.blocks.map(render).joined(separator: "\n")
        }
        return out
    }

    func render(_ block: DigestDocument.Block) -> String {
        switch block {
        case .paragraph(let text):
            return Self.wrap(Self.clean(text), width: 100) + "\n"
        case .list(let items):
            return items.map { "  - " + Self.clean($0) + "\n" }.joined()
        case .table(let table):
            return render(table)
        case .chart(let chart):
            return render(chart)
        }
    }

    func render(_ table: DigestDocument.Table) -> String {
        let header = table.columns.map { Self.clean($0.title) }
        let rows = table.rows.map { $0.map { cut(Self.clean($0)) } }
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (index, cell) in cells.enumerated() where index < widths.count {
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                parts.append(table.columns[index].numeric ? padding + cell : cell + padding)
            }
            return "  " + parts.joined(separator: "  ").replacingTrailingSpaces() + "\n"
        }
        var out = style(line(header).dropLast().description, "2") + "\n"
        for row in rows { out += line(row) }
        return out
    }

    func render(_ chart: DigestDocument.Chart) -> String {
        let bars = chart.kind == .vertical ? chart.bars.filter { $0.value > 0 } : chart.bars
        guard !bars.isEmpty else { return "  " + catalog.text("chart.noRequests") + "\n" }
        let labels = bars.map { cut(Self.clean($0.label), to: 24) }
        let labelWidth = labels.map(\.count).max() ?? 0
        var out = "  " + Self.clean(chart.title) + "\n"
        for (bar, label) in zip(bars, labels) {
            let full = Int((bar.value / chart.maximum * Double(chartWidth)).rounded())
            let part = min(full, Int((bar.part / chart.maximum * Double(chartWidth)).rounded()))
            let drawn = style(String(repeating: "█", count: part), "31") + String(repeating: "▒", count: full - part)
            out +=
                "  " + label + String(repeating: " ", count: labelWidth - label.count) + "  " + drawn + " "
                + bar.caption + "\n"
        }
        return out
    }

    private func style(_ text: String, _ code: String) -> String {
        color && !text.isEmpty ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func cut(_ text: String, to width: Int? = nil) -> String {
        let width = width ?? maxCellWidth
        return text.count <= width ? text : String(text.prefix(width - 1)) + "…"
    }

    /// Drops C0/C1 control characters (ESC among them) and folds line breaks into spaces.
    static func clean(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\r" || scalar == "\t" {
                out += " "
            } else if scalar.value >= 0x20, !(0x7F...0x9F).contains(scalar.value) {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// Greedy word wrap, indented by two spaces.
    static func wrap(_ text: String, width: Int) -> String {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines.map { "  " + $0 }.joined(separator: "\n")
    }
}

extension String {
    fileprivate func replacingTrailingSpaces() -> String {
        var copy = self
        while copy.last == " " { copy.removeLast() }
        return copy
    }
}
