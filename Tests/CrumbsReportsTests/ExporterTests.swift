import CrumbsModel
import Foundation
import Testing

@testable import CrumbsReports

@Suite struct ExporterTests {
    /// Domain grouping: 6 nodes, 5 edges; the XSS host is a node, the XSS string its company.
    let graph = GraphBuilder(siteOf: GraphFixture.siteOf).build(GraphFixture.events)
    /// Company grouping: the XSS string becomes a node label.
    let byCompany = GraphBuilder(grouping: .company, siteOf: GraphFixture.siteOf).build(GraphFixture.events)
    var xssCompanyID: String { "company:" + GraphFixture.xssCompany }

    static let xmlHost = "&lt;script&gt;alert(1)&lt;/script&gt;.example"
    static let xmlCompany = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"

    func expectNoRawAttack(_ text: String) {
        #expect(!text.contains("<script"))
        #expect(!text.contains("<img"))
    }

    @Test func graphMLDeclaresKeysAndEscapesNetworkText() {
        let xml = GraphMLExporter().render(byCompany)
        #expect(xml.contains(#"<key id="n_requests" for="node" attr.name="requests" attr.type="int"/>"#))
        #expect(xml.contains(#"<key id="e_tracker" for="edge" attr.name="tracker" attr.type="boolean"/>"#))
        #expect(xml.contains(#"<node id="company:\#(Self.xmlCompany)">"#))
        #expect(xml.contains(Self.xmlHost) == false)  // by company the XSS host folds into its company
        expectNoRawAttack(xml)
        let byDomain = GraphMLExporter().render(graph)
        #expect(byDomain.contains(#"<node id="third:\#(Self.xmlHost)">"#))
        #expect(byDomain.contains("<data key=\"n_company\">\(Self.xmlCompany)</data>"))
        expectNoRawAttack(byDomain)
    }

    @Test func gexfDeclaresAttributesAndEscapesNetworkText() {
        let xml = GEXFExporter().render(byCompany)
        #expect(xml.contains(#"<gexf xmlns="http://www.gexf.net/1.2draft""#))
        #expect(xml.contains(#"<attribute id="5" title="requests" type="integer"/>"#))
        #expect(xml.contains("label=\"\(Self.xmlCompany)\""))
        #expect(xml.contains(#"weight="3.0""#))
        expectNoRawAttack(xml)
        expectNoRawAttack(GEXFExporter().render(graph))
    }

    @Test func xmlEscapingDropsCharactersXMLCannotCarry() {
        #expect(XMLText.escape("a\u{0}b\u{7}c\u{1B}d\u{FFFE}") == "abcd")
        #expect(XMLText.escape("x&'\"\t\n") == "x&amp;&apos;&quot;&#9;&#10;")
        let hostile = SiteGraph(
            nodes: [
                SiteGraph.Node(
                    id: "third:a\u{1}b", label: "a\u{0}b", kind: .thirdParty,
                    firstSeen: .distantPast, lastSeen: .distantPast)
            ],
            edges: [])
        #expect(!GraphMLExporter().render(hostile).contains("\u{1}"))
        #expect(!GEXFExporter().render(hostile).contains("\u{0}"))
    }

    @Test func dotQuotesIdsAndEscapesQuotesAndBackslashes() {
        let dot = DOTExporter().render(byCompany)
        #expect(dot.hasPrefix("digraph crumbs {"))
        #expect(dot.contains(#""company:\"><img src=x onerror=alert(1)>" [label="\"><img src=x onerror=alert(1)>""#))
        // Every `"><img` is preceded by a backslash: the quote cannot close the DOT string.
        #expect(!dot.replacingOccurrences(of: #"\"><img"#, with: "").contains(#""><img"#))
        #expect(dot.contains(#""site:news.example" -> "company:Google" [weight=3, penwidth=2.58"#))
        #expect(DOTExporter.quoted("a\\N\"b\nc") == #""a\\N\"b c""#)
    }

    @Test func nodeLinkJSONHasNetworkxShapeAndHTMLSafeStrings() throws {
        let json = NodeLinkJSONExporter().render(byCompany)
        expectNoRawAttack(json)
        #expect(json.contains(#"\"\u003e\u003cimg src=x onerror=alert(1)\u003e"#))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["directed"] as? Bool == true)
        #expect(object["multigraph"] as? Bool == false)
        #expect((object["graph"] as? [String: Any])?.isEmpty == true)
        let nodes = try #require(object["nodes"] as? [[String: Any]])
        #expect(nodes.count == 5)
        #expect(nodes.contains { $0["label"] as? String == GraphFixture.xssCompany })
        #expect((object["links"] as? [[String: Any]])?.count == 4)
        let edges = NodeLinkJSONExporter(edgesKey: .edges).render(byCompany)
        #expect(edges.contains(#""edges" : ["#) && !edges.contains(#""links""#))
    }

    @Test func csvQuotesFieldsAndNeutralisesFormulas() {
        let tables = CSVExporter().render(graph)
        let nodeLines = tables.nodes.components(separatedBy: "\r\n")
        #expect(
            nodeLines.first
                == "Id,Label,kind,company,categories,firstSeen,lastSeen,requests,sites,setsCookies,sendsCookies")
        #expect(nodeLines.count == 6 + 2)  // header, rows, empty string after the final CRLF
        let xssRow = nodeLines.first { $0.hasPrefix("third:<script>") } ?? ""
        #expect(xssRow.contains(#","""><img src=x onerror=alert(1)>","#))
        #expect(xssRow.contains(",'@SUM(1+1);advertising,"))
        #expect(
            tables.edges.hasPrefix(
                "Source,Target,Weight,requests,daysSeen,cookies,tracker,inferred,inferredRequests\r\n"))
        #expect(tables.edges.contains("site:news.example,third:doubleclick.net,2,2,2,2,true,false,0\r\n"))
        #expect(CSVExporter.textField("=1+1") == "'=1+1")
        #expect(CSVExporter.textField("-2,3") == "\"'-2,3\"")
        #expect(CSVExporter.textField("a\nb") == "\"a\nb\"")
        #expect(CSVExporter.textField("plain") == "plain")
    }

    @Test func exportsAreDeterministic() {
        let again = GraphBuilder(siteOf: GraphFixture.siteOf).build(GraphFixture.events.reversed())
        #expect(GraphMLExporter().render(graph) == GraphMLExporter().render(again))
        #expect(NodeLinkJSONExporter().render(graph) == NodeLinkJSONExporter().render(again))
    }

    // The tools are required, not optional: scripts/test installs them, and a silent skip would
    // hide a broken export.
    @Test(.timeLimit(.minutes(1)), arguments: ["graphml", "gexf", "json"])
    func networkxLoadsTheExport(format: String) throws {
        try #require(
            ExternalTool.hasNetworkx,
            "/usr/bin/python3 with networkx is needed (scripts/test installs python3-networkx)")
        for (g, grouping) in [(graph, "domain"), (byCompany, "company")] {
            let text: String
            switch format {
            case "graphml": text = GraphMLExporter().render(g)
            case "gexf": text = GEXFExporter().render(g)
            default: text = NodeLinkJSONExporter().render(g)
            }
            let path = try ExternalTool.write(text, ext: format)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let (id, label, expected) =
                grouping == "domain"
                ? ("third:" + GraphFixture.xssHost, GraphFixture.xssHost, "6 5 2 2")
                : (xssCompanyID, GraphFixture.xssCompany, "5 4 0 0")
            let result = ExternalTool.networkx(format, path, nodeID: id, label: label)
            #expect(result.status == 0, "\(format) \(grouping): \(result.output)")
            #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == expected)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func networkxLoadsTheEdgesVariantWhenAsked() throws {
        try #require(
            ExternalTool.hasNetworkx,
            "/usr/bin/python3 with networkx is needed (scripts/test installs python3-networkx)")
        let path = try ExternalTool.write(NodeLinkJSONExporter(edgesKey: .edges).render(graph), ext: "json")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = ExternalTool.networkx(
            "json", path, nodeID: "third:" + GraphFixture.xssHost, label: GraphFixture.xssHost, edgesKey: "edges")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines) == "6 5 2 2", "\(result.output)")
    }

    @Test(.timeLimit(.minutes(1)))
    func graphvizRendersTheDOT() throws {
        try #require(ExternalTool.hasDot, "Graphviz dot is needed (scripts/test installs it)")
        let path = try ExternalTool.write(DOTExporter().render(byCompany), ext: "dot")
        defer { try? FileManager.default.removeItem(atPath: path) }
        let result = ExternalTool.run("dot", ["-Tsvg", path])
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.contains("<svg"))
        // Graphviz got the label as text and escaped it for SVG itself.
        #expect(result.output.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!result.output.contains("<img"))
    }

    /// A link known only by a guess says so in every format: an attribute where there are
    /// attributes, a dashed line where it is drawn.
    @Test func inferredLinksAreMarkedInEveryFormat() throws {
        let day = Date(timeIntervalSince1970: 1_765_000_000)
        let graph = SiteGraph(
            nodes: [
                .init(
                    id: "site:quiet.example", label: "quiet.example", kind: .firstParty, firstSeen: day, lastSeen: day),
                .init(id: "third:ads.example", label: "ads.example", kind: .thirdParty, firstSeen: day, lastSeen: day),
                .init(id: "site:news.example", label: "news.example", kind: .firstParty, firstSeen: day, lastSeen: day),
            ],
            edges: [
                .init(
                    source: "site:quiet.example", target: "third:ads.example", requests: 3, daysSeen: 1, cookies: 0,
                    tracker: true, inferredRequests: 3),
                .init(
                    source: "site:news.example", target: "third:ads.example", requests: 2, daysSeen: 1, cookies: 0,
                    tracker: true, inferredRequests: 1),
            ])
        #expect(graph.edges.map(\.inferred) == [false, true])
        #expect(GraphMLExporter().render(graph).contains(#"<data key="e_inferred">true</data>"#))
        #expect(GEXFExporter().render(graph).contains(#"<attvalue for="4" value="true"/>"#))
        let json = NodeLinkJSONExporter().render(graph)
        #expect(json.contains(#""inferred" : true"#) && json.contains(#""inferred" : false"#))
        let dot = DOTExporter().render(graph)
        #expect(dot.components(separatedBy: "style=dashed").count == 2)
        #expect(SVGExporter().render(graph).contains(#"stroke-dasharray="3 2""#))
        let html = HTMLGraphExporter().render(graph)
        #expect(html.contains("Dashed lines: links Crumbs inferred from timing (1 of 2)"))
        #expect(html.contains(",1,1]") && html.contains(",1,0]"))
    }
}
