import Foundation

/// Renders a digest as one self-contained HTML page (`DigestTemplates`, shared with the dashboard): inline CSS and inline SVG charts, no script,
/// no external resource (a Content-Security-Policy forbids them too), readable on a phone and
/// printable. Every string is escaped: host and company names come from the network and lists.
enum DigestHTML {
    static func render(_ document: DigestDocument) -> String {
        let object: [String: Any] = [
            "lang": document.catalog.language.rawValue, "title": document.title, "headline": document.headline,
            "style": style,
            "sections": document.sections.map { DigestTemplates.object($0, chartsAsTables: false) },
        ]
        return DigestTemplates.library.render(object, withTemplate: "digest") ?? ""
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
