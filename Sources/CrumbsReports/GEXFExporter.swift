import Foundation

/// Writes a `SiteGraph` as GEXF 1.2, Gephi's native format. 1.2 rather than 1.3: Gephi reads
/// both, but networkx before 3.0 (Debian 12 ships 2.8) finds no graph in a 1.3 file, and this
/// graph uses nothing 1.3 added.
///
/// Attributes are declared in `<attributes>` blocks and referenced by numeric id, as the schema
/// requires; the edge `weight` attribute carries the request count so Gephi sizes edges by it.
public struct GEXFExporter: Sendable {
    public init() {}

    private static let nodeAttributes: [(String, String)] = [
        ("kind", "string"), ("company", "string"), ("categories", "string"), ("firstSeen", "string"),
        ("lastSeen", "string"), ("requests", "integer"), ("sites", "integer"),
        ("setsCookies", "boolean"), ("sendsCookies", "boolean"),
    ]
    private static let edgeAttributes: [(String, String)] = [
        ("requests", "integer"), ("daysSeen", "integer"), ("cookies", "integer"), ("tracker", "boolean"),
        ("inferred", "boolean"), ("inferredRequests", "integer"),
    ]

    public func render(_ graph: SiteGraph) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <gexf xmlns="http://www.gexf.net/1.2draft" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" version="1.2">
              <meta>
                <creator>Crumbs</creator>
                <description>First-party sites and the third parties they contact</description>
              </meta>
              <graph mode="static" defaultedgetype="directed">

            """
        out += declarations("node", Self.nodeAttributes)
        out += declarations("edge", Self.edgeAttributes)
        out += "    <nodes>\n"
        for node in graph.nodes {
            out += "      <node id=\"\(XMLText.escape(node.id))\" label=\"\(XMLText.escape(node.label))\">\n"
            var values: [String?] = [node.kind.rawValue, node.company, node.categories.joined(separator: ";")]
            values += [GraphDate.string(node.firstSeen), GraphDate.string(node.lastSeen)]
            values += [String(node.requests), String(node.sites), String(node.setsCookies), String(node.sendsCookies)]
            out += attvalues(values)
            out += "      </node>\n"
        }
        out += "    </nodes>\n    <edges>\n"
        for (index, edge) in graph.edges.enumerated() {
            out += "      <edge id=\"\(index)\" source=\"\(XMLText.escape(edge.source))\""
            out += " target=\"\(XMLText.escape(edge.target))\" weight=\"\(Double(edge.requests))\">\n"
            out += attvalues([
                String(edge.requests), String(edge.daysSeen), String(edge.cookies), String(edge.tracker),
                String(edge.inferred), String(edge.inferredRequests),
            ])
            out += "      </edge>\n"
        }
        out += "    </edges>\n  </graph>\n</gexf>\n"
        return out
    }

    private func declarations(_ kind: String, _ attributes: [(String, String)]) -> String {
        var out = "    <attributes class=\"\(kind)\">\n"
        for (index, (title, type)) in attributes.enumerated() {
            out += "      <attribute id=\"\(index)\" title=\"\(title)\" type=\"\(type)\"/>\n"
        }
        return out + "    </attributes>\n"
    }

    /// Values in declaration order; a nil value (unknown company) is left out, not written empty.
    private func attvalues(_ values: [String?]) -> String {
        var out = "        <attvalues>\n"
        for (index, value) in values.enumerated() {
            guard let value else { continue }
            out += "          <attvalue for=\"\(index)\" value=\"\(XMLText.escape(value))\"/>\n"
        }
        return out + "        </attvalues>\n"
    }
}
