import Foundation

/// Inline SVG bar charts for the HTML digest: horizontal bars (companies by reach) and vertical
/// bars (requests per hour). Sized by `viewBox` so they scale to a phone's width.
enum DigestSVG {
    static let width = 640.0

    static func render(_ chart: DigestDocument.Chart) -> String {
        switch chart.kind {
        case .horizontal: horizontal(chart)
        case .vertical: vertical(chart)
        }
    }

    static func horizontal(_ chart: DigestDocument.Chart) -> String {
        // Sized for 17-unit text: the chart shrinks to about 60% on a phone and stays legible.
        let row = 28.0
        let labelWidth = 210.0
        let captionWidth = 100.0
        let barSpace = width - labelWidth - captionWidth
        let height = max(row, row * Double(chart.bars.count))
        var out = svgOpen(height: height, label: chart.title)
        for (index, bar) in chart.bars.enumerated() {
            let y = Double(index) * row
            let length = max(0, min(1, bar.value / chart.maximum)) * barSpace
            out +=
                "<text x=\"\(n(labelWidth - 6))\" y=\"\(n(y + 20))\" text-anchor=\"end\">"
                + "\(XMLText.escape(clip(bar.label, 20)))</text>"
            out += "<rect class=\"bar\" x=\"\(n(labelWidth))\" y=\"\(n(y + 5))\" width=\"\(n(length))\" height=\"18\"/>"
            out +=
                "<text x=\"\(n(labelWidth + length + 4))\" y=\"\(n(y + 20))\">\(XMLText.escape(bar.caption))</text>\n"
        }
        return out + "</svg>\n"
    }

    static func vertical(_ chart: DigestDocument.Chart) -> String {
        let plotHeight = 160.0
        let bottom = 24.0
        let left = 4.0
        let count = max(1, chart.bars.count)
        let step = (width - left * 2) / Double(count)
        // Label about every third hour of a day, fewer for longer ranges, so labels never overlap.
        let labelEvery = max(1, Int((44.0 / step).rounded(.up)))
        var out = svgOpen(height: plotHeight + bottom, label: chart.title)
        out += "<line class=\"axis\" x1=\"0\" y1=\"\(n(plotHeight))\" x2=\"\(n(width))\" y2=\"\(n(plotHeight))\"/>\n"
        for (index, bar) in chart.bars.enumerated() {
            let x = left + Double(index) * step
            let full = max(0, min(1, bar.value / chart.maximum)) * plotHeight
            let part = max(0, min(1, bar.part / chart.maximum)) * plotHeight
            let barWidth = max(1, step - 2)
            if full > 0 {
                out +=
                    "<rect class=\"bar\" x=\"\(n(x + 1))\" y=\"\(n(plotHeight - full))\" width=\"\(n(barWidth))\" "
                    + "height=\"\(n(full))\"><title>\(XMLText.escape(bar.label)): \(XMLText.escape(bar.caption))"
                    + "</title></rect>"
            }
            if part > 0 {
                out +=
                    "<rect class=\"part\" x=\"\(n(x + 1))\" y=\"\(n(plotHeight - part))\" "
                    + "width=\"\(n(barWidth))\" height=\"\(n(part))\"/>"
            }
            if index % labelEvery == 0 {
                out +=
                    "<text x=\"\(n(x + step / 2))\" y=\"\(n(plotHeight + 19))\" text-anchor=\"middle\">"
                    + "\(XMLText.escape(bar.label))</text>"
            }
            out += "\n"
        }
        return out + "</svg>\n"
    }

    private static func svgOpen(height: Double, label: String) -> String {
        // Inline in HTML: no xmlns needed, and the page then names no URL at all.
        "<svg viewBox=\"0 0 \(n(width)) \(n(height))\" role=\"img\" "
            + "aria-label=\"\(XMLText.escape(label))\">\n"
    }

    /// Coordinates with at most one decimal, so files are stable and small.
    static func n(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return tenths % 10 == 0 ? String(tenths / 10) : String(Double(tenths) / 10)
    }

    private static func clip(_ text: String, _ length: Int) -> String {
        text.count <= length ? text : String(text.prefix(length - 1)) + "…"
    }
}
