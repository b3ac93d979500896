import Foundation

/// Writes a `SiteGraph` as two RFC 4180 CSV tables (nodes and edges), for spreadsheets and for
/// Gephi's "Import spreadsheet", which expects `Id`/`Label` and `Source`/`Target` columns.
///
/// Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` (and some
/// also with tab or carriage return) as a formula, and a host name or company comes from the
/// network. Such text fields get a leading `'`, which spreadsheets treat as "this is text". Only
/// text columns are touched; numbers are written by Crumbs and never negative.
public struct CSVExporter: Sendable {
    /// The two tables; each ends with CRLF, as RFC 4180 says.
    public struct Tables: Sendable, Equatable {
        public var nodes: String
        public var edges: String
    }

    public init() {}

    public func render(_ graph: SiteGraph) -> Tables {
        Tables(nodes: renderNodes(graph), edges: renderEdges(graph))
    }

    public func renderNodes(_ graph: SiteGraph) -> String {
        var rows = [
            [
                "Id", "Label", "kind", "company", "categories", "firstSeen", "lastSeen", "requests", "sites",
                "setsCookies", "sendsCookies",
            ].map { Self.field($0) }
        ]
        for n in graph.nodes {
            rows.append(
                [n.id, n.label, n.kind.rawValue, n.company ?? "", n.categories.joined(separator: ";")].map {
                    Self.textField($0)
                }
                    + [
                        GraphDate.string(n.firstSeen), GraphDate.string(n.lastSeen), String(n.requests),
                        String(n.sites), String(n.setsCookies), String(n.sendsCookies),
                    ])
        }
        return Self.join(rows)
    }

    public func renderEdges(_ graph: SiteGraph) -> String {
        var rows = [
            [
                "Source", "Target", "Weight", "requests", "daysSeen", "cookies", "tracker", "inferred",
                "inferredRequests",
            ]
        ]
        for e in graph.edges {
            rows.append(
                [Self.textField(e.source), Self.textField(e.target)]
                    + [e.requests, e.requests, e.daysSeen, e.cookies].map(String.init)
                    + [String(e.tracker), String(e.inferred), String(e.inferredRequests)])
        }
        return Self.join(rows)
    }

    private static func join(_ rows: [[String]]) -> String {
        rows.map { $0.joined(separator: ",") }.joined(separator: "\r\n") + "\r\n"
    }

    /// A field from the network: neutralised against formulas, then quoted if needed.
    static func textField(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return "" }
        let triggers: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r"]
        return field(triggers.contains(first) ? "'" + text : text)
    }

    /// RFC 4180: quote a field holding a comma, quote or line break, doubling inner quotes.
    static func field(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
