import Foundation

/// Writes a `SiteGraph` as GraphML, readable by networkx `read_graphml`, Gephi, yEd and Cytoscape.
///
/// Every attribute is declared with a `<key>` (typed `string`, `int` or `boolean`) so that tools
/// restore numbers as numbers. Optional values (`company`) are omitted rather than written empty.
public struct GraphMLExporter: Sendable {
    public init() {}

    /// Node attributes in declaration order: (key id, attr.name, attr.type).
    private static let nodeKeys: [(String, String, String)] = [
        ("n_label", "label", "string"), ("n_kind", "kind", "string"), ("n_company", "company", "string"),
        ("n_categories", "categories", "string"), ("n_firstSeen", "firstSeen", "string"),
        ("n_lastSeen", "lastSeen", "string"), ("n_requests", "requests", "int"), ("n_sites", "sites", "int"),
        ("n_setsCookies", "setsCookies", "boolean"), ("n_sendsCookies", "sendsCookies", "boolean"),
    ]
    private static let edgeKeys: [(String, String, String)] = [
        ("e_weight", "weight", "double"), ("e_requests", "requests", "int"), ("e_daysSeen", "daysSeen", "int"),
        ("e_cookies", "cookies", "int"), ("e_tracker", "tracker", "boolean"),
        ("e_inferred", "inferred", "boolean"), ("e_inferredRequests", "inferredRequests", "int"),
    ]

    public func render(_ graph: SiteGraph) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns \
            http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">

            """
        for (id, name, type) in Self.nodeKeys {
            out += "  <key id=\"\(id)\" for=\"node\" attr.name=\"\(name)\" attr.type=\"\(type)\"/>\n"
        }
        for (id, name, type) in Self.edgeKeys {
            out += "  <key id=\"\(id)\" for=\"edge\" attr.name=\"\(name)\" attr.type=\"\(type)\"/>\n"
        }
        out += "  <graph id=\"crumbs\" edgedefault=\"directed\">\n"
        for node in graph.nodes {
            out += "    <node id=\"\(XMLText.escape(node.id))\">\n"
            var values: [(String, String)] = [("n_label", node.label), ("n_kind", node.kind.rawValue)]
            if let company = node.company { values.append(("n_company", company)) }
            values += [
                ("n_categories", node.categories.joined(separator: ";")),
                ("n_firstSeen", GraphDate.string(node.firstSeen)), ("n_lastSeen", GraphDate.string(node.lastSeen)),
                ("n_requests", String(node.requests)), ("n_sites", String(node.sites)),
                ("n_setsCookies", String(node.setsCookies)), ("n_sendsCookies", String(node.sendsCookies)),
            ]
            for (key, value) in values { out += "      <data key=\"\(key)\">\(XMLText.escape(value))</data>\n" }
            out += "    </node>\n"
        }
        for edge in graph.edges {
            out += "    <edge id=\"\(XMLText.escape(edge.id))\" source=\"\(XMLText.escape(edge.source))\""
            out += " target=\"\(XMLText.escape(edge.target))\">\n"
            // `weight` duplicates `requests` because Gephi and networkx algorithms look for that name.
            let values = [
                ("e_weight", String(Double(edge.requests))), ("e_requests", String(edge.requests)),
                ("e_daysSeen", String(edge.daysSeen)), ("e_cookies", String(edge.cookies)),
                ("e_tracker", String(edge.tracker)), ("e_inferred", String(edge.inferred)),
                ("e_inferredRequests", String(edge.inferredRequests)),
            ]
            for (key, value) in values { out += "      <data key=\"\(key)\">\(value)</data>\n" }
            out += "    </edge>\n"
        }
        out += "  </graph>\n</graphml>\n"
        return out
    }
}
