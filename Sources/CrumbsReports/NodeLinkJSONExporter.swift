import Foundation

/// Writes a `SiteGraph` as node-link JSON, the format of networkx `node_link_data` and d3-force.
///
/// The edge list is `"links"` by default: d3-force and networkx before 3.6 (Debian 12 ships 2.8)
/// read it without options, and networkx 3.6 with `node_link_graph(data, edges="links")`.
/// `edgesKey: .edges` writes networkx 3.6's own default instead.
public struct NodeLinkJSONExporter: Sendable {
    /// Name of the edge array in the document.
    public enum EdgesKey: String, Sendable, CaseIterable {
        /// networkx ≥ 3.6 default.
        case edges
        /// networkx < 3.6 default and d3-force.
        case links
    }

    public var edgesKey: EdgesKey

    public init(edgesKey: EdgesKey = .links) {
        self.edgesKey = edgesKey
    }

    public func render(_ graph: SiteGraph) -> String {
        let document = Document(
            edgesKey: edgesKey, nodes: graph.nodes.map(JSONNode.init), edges: graph.edges.map(JSONEdge.init))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // Encoding plain strings, ints and bools cannot fail.
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return Self.htmlSafe(String(decoding: data, as: UTF8.self)) + "\n"
    }

    /// JSONEncoder escapes what JSON needs (`"`, `\`, controls) but not `<`, `>`, `&`, U+2028/9.
    /// Escaping those too keeps the file inert if a report page inlines it in a `<script>`. It is
    /// safe to do on the encoded text because these characters can only occur inside strings.
    static func htmlSafe(_ json: String) -> String {
        // Byte by byte: an export can be tens of megabytes, and every character that needs a
        // rewrite is ASCII or starts with 0xE2 (U+2028 and U+2029 are E2 80 A8 / E2 80 A9).
        let bytes = Array(json.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 16)
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "<"): out += Array("\\u003c".utf8)
            case UInt8(ascii: ">"): out += Array("\\u003e".utf8)
            case UInt8(ascii: "&"): out += Array("\\u0026".utf8)
            case 0xE2
            where i + 2 < bytes.count && bytes[i + 1] == 0x80 && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9):
                out += Array((bytes[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                i += 2
            default: out.append(byte)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private struct Document: Encodable {
        let edgesKey: EdgesKey
        let nodes: [JSONNode]
        let edges: [JSONEdge]

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(_ string: String) { stringValue = string }
            init?(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Key.self)
            try container.encode(true, forKey: Key("directed"))
            try container.encode(false, forKey: Key("multigraph"))
            try container.encode([String: String](), forKey: Key("graph"))
            try container.encode(nodes, forKey: Key("nodes"))
            try container.encode(edges, forKey: Key(edgesKey.rawValue))
        }
    }

    private struct JSONNode: Encodable {
        let id, label, kind: String
        let company: String?
        let categories: [String]
        let firstSeen, lastSeen: String
        let requests, sites: Int
        let setsCookies, sendsCookies: Bool

        init(_ n: SiteGraph.Node) {
            (id, label, kind, company, categories) = (n.id, n.label, n.kind.rawValue, n.company, n.categories)
            (firstSeen, lastSeen) = (GraphDate.string(n.firstSeen), GraphDate.string(n.lastSeen))
            (requests, sites, setsCookies, sendsCookies) = (n.requests, n.sites, n.setsCookies, n.sendsCookies)
        }
    }

    private struct JSONEdge: Encodable {
        let source, target: String
        let weight, requests, daysSeen, cookies, inferredRequests: Int
        let tracker, inferred: Bool

        init(_ e: SiteGraph.Edge) {
            (source, target, weight, requests) = (e.source, e.target, e.requests, e.requests)
            (daysSeen, cookies, tracker) = (e.daysSeen, e.cookies, e.tracker)
            (inferred, inferredRequests) = (e.inferred, e.inferredRequests)
        }
    }
}
