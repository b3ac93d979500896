import Foundation

/// Writes a `SiteGraph` in Graphviz DOT, for `dot -Tsvg` or `sfdp -Tsvg`.
///
/// Every id and label is a double-quoted DOT string, so nothing from the network can end the
/// string or inject attributes; edge width grows with the logarithm of the request count so that
/// one chatty tracker does not hide the rest.
public struct DOTExporter: Sendable {
    public init() {}

    public func render(_ graph: SiteGraph) -> String {
        var out = "digraph crumbs {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n"
        for node in graph.nodes {
            let style: String
            switch node.kind {
            case .firstParty: style = "shape=box, style=filled, fillcolor=\"#dbeafe\""
            case .thirdParty: style = "shape=ellipse"
            case .company: style = "shape=hexagon"
            case .device: style = "shape=box, style=\"filled,rounded\", fillcolor=\"#fde68a\""
            }
            out += "  \(Self.quoted(node.id)) [label=\(Self.quoted(node.label)), \(style)];\n"
        }
        for edge in graph.edges {
            let width = 1 + log2(Double(max(edge.requests, 1)))
            let color = edge.tracker ? "#dc2626" : "#6b7280"
            out += "  \(Self.quoted(edge.source)) -> \(Self.quoted(edge.target)) [weight=\(edge.requests), "
            out += "penwidth=\(Self.twoDecimals(width)), color=\"\(color)\", "
            // A link known only by a guess (timing, an inferred navigation) is drawn dashed.
            if edge.inferred { out += "style=dashed, " }
            let how = edge.inferred ? ", inferred" : ""
            out += "tooltip=\(Self.quoted("\(edge.requests) requests, \(edge.daysSeen) days\(how)"))];\n"
        }
        return out + "}\n"
    }

    /// `%.2f` for a positive number, without `String(format:)`, which costs microseconds per
    /// call on Linux and a month's graph has a hundred thousand edges.
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// A DOT double-quoted string. Only `"` and `\` are special inside it; a backslash is doubled
    /// so `\N`, `\G` or `\l` in a host name stay literal. Line breaks and other control characters
    /// become spaces: a raw newline would be legal but would break line-based tools that read the
    /// file, and labels never need one.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.properties.generalCategory == .control: out += " "
            case "\u{2028}", "\u{2029}": out += " "
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
