import Mustache

/// How a digest is drawn in HTML, shared by the digest's HTML file and the dashboard: one
/// `section` template (so there is one way to draw a table of companies), in
/// `Resources/section.mustache`, and the file's page around it. `{{…}}` escapes every value for
/// HTML; the one unescaped value is a chart's SVG, which `DigestSVG` writes with every label
/// escaped.
public enum DigestTemplates {
    public static let section = String(decoding: PackageResources.section_mustache, as: UTF8.self)
    static let page = String(decoding: PackageResources.digest_mustache, as: UTF8.self)

    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        // The templates are compiled in and tested: failing to parse them is a build defect.
        try! library.register(section, named: "section")
        try! library.register(page, named: "digest")
        return library
    }()

    /// What the `section` template draws. `chartsAsTables`: bars as a two-column table with the
    /// chart's title as caption (for a page whose policy allows no inline style, and for screen
    /// readers), else the SVG chart.
    public static func object(_ section: DigestDocument.Section, chartsAsTables: Bool) -> [String: Any] {
        [
            "title": section.title,
            "blocks": section.blocks.map { block -> [String: Any] in
                switch block {
                case .paragraph(let text): return ["paragraph": text]
                case .list(let items): return ["list": ["items": items]]
                case .table(let table): return ["table": tableObject(table, caption: nil)]
                case .chart(let chart) where chartsAsTables:
                    let table = DigestDocument.Table(
                        columns: [.init(title: ""), .init(title: "", numeric: true)],
                        rows: chart.bars.filter { $0.value > 0 }.map { [$0.label, $0.caption] })
                    return ["table": tableObject(table, caption: chart.title)]
                case .chart(let chart):
                    return ["chart": ["svg": DigestSVG.render(chart), "caption": chart.title]]
                }
            },
        ]
    }

    static func tableObject(_ table: DigestDocument.Table, caption: String?) -> [String: Any] {
        var object: [String: Any] = [
            "columns": table.columns.map { ["title": $0.title, "numeric": $0.numeric] as [String: Any] },
            "rows": table.rows.map { row in
                [
                    "cells": row.enumerated().map { index, text in
                        ["text": text, "numeric": index < table.columns.count && table.columns[index].numeric]
                            as [String: Any]
                    }
                ]
            },
        ]
        if let caption { object["caption"] = caption }
        return object
    }
}
