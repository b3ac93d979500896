import CrumbsModel
import CrumbsReports
import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// The SVG drawing, the HTML page and the layout they share.
struct DrawingTests {
    typealias F = GraphStoreFixture
    let byDomain = GraphBuilder(grouping: .domain, siteOf: F.siteOf).build(F.events)
    let byCompany = GraphBuilder(grouping: .company, siteOf: F.siteOf).build(F.events)

    /// Counts elements and collects text while parsing: a parse error fails the test.
    final class XMLCheck: NSObject, XMLParserDelegate {
        var elements: [String: Int] = [:]
        var text = ""
        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) { elements[name, default: 0] += 1 }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    func parse(_ xml: String) throws -> XMLCheck {
        let parser = XMLParser(data: Data(xml.utf8))
        let check = XMLCheck()
        parser.delegate = check
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        return check
    }

    @Test func svgIsWellFormedWithACircleAndTooltipPerNodeAndALinePerEdge() throws {
        let svg = SVGExporter().render(byDomain)
        let check = try parse(svg)
        #expect(check.elements["svg"] == 1)
        #expect(check.elements["line"] == byDomain.edges.count)
        // One circle per node, plus the legend's dots.
        #expect(check.elements["circle"] ?? 0 >= byDomain.nodes.count)
        // The hostile host comes back from the parser as the same text: escaped, not mangled.
        #expect(check.text.contains(F.xssHost))
        #expect(check.text.contains("company: " + F.xssCompany))
        #expect(!svg.contains("<script"))
        #expect(!svg.contains("<b>"))
        #expect(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;.example"))
    }

    @Test func svgByCompanyEscapesTheCompanyLabel() throws {
        let svg = SVGExporter().render(byCompany)
        let check = try parse(svg)
        #expect(check.text.contains(F.xssCompany))
        #expect(svg.contains("&lt;b&gt;Evil &amp; Co&lt;/b&gt;"))
        #expect(!svg.contains("<b>"))
    }

    @Test func layoutIsDeterministicAndNodesDoNotOverlap() throws {
        var events: [RequestEvent] = []
        for i in 0..<3_000 {
            events.append(
                F.event(
                    "site\(i % 120).example", "h\(i % 37).t\(i % 53).example", at: Double(i),
                    company: "C\(i % 11)", categories: [["advertising", "analytics", "social"][i % 3]]))
        }
        let graph = GraphBuilder(grouping: .host, siteOf: F.siteOf).build(events)
        let layout = GraphLayout(graph)
        #expect(layout == GraphLayout(graph))
        #expect(SVGExporter().render(graph) == SVGExporter().render(graph))
        #expect(layout.centres.count == graph.nodes.count)
        #expect(graph.nodes.count > 2_000)
        for i in layout.centres.indices {
            let (c, r) = (layout.centres[i], layout.radii[i])
            #expect(c.x - r >= 0 && c.y - r >= 0 && c.x + r <= layout.size && c.y + r <= layout.size)
            for j in layout.centres.indices where j > i {
                let distance = hypot(c.x - layout.centres[j].x, c.y - layout.centres[j].y)
                // Rounding to a tenth may eat a little of the gap, never more. (Millions of pairs:
                // only a failure is recorded.)
                if distance < r + layout.radii[j] - 0.2 {
                    Issue.record("\(graph.nodes[i].id) overlaps \(graph.nodes[j].id)")
                }
            }
        }
    }

    @Test func busierThirdPartiesAreDrawnBiggerAndNearerTheCentre() throws {
        let layout = GraphLayout(byDomain)
        let index = Dictionary(uniqueKeysWithValues: byDomain.nodes.enumerated().map { ($1.id, $0) })
        let busy = try #require(index["third:doubleclick.net"])  // on 3 sites
        let quiet = try #require(index["third:facebook.net"])  // on 1
        let middle = layout.size / 2
        func distance(_ i: Int) -> Double { hypot(layout.centres[i].x - middle, layout.centres[i].y - middle) }
        #expect(layout.radii[busy] > layout.radii[quiet])
        #expect(distance(busy) < distance(quiet))
        for site in byDomain.nodes.indices where byDomain.nodes[site].kind == .firstParty {
            #expect(distance(site) > distance(quiet))
        }
    }

    @Test func emptyGraphStillDrawsAValidPage() throws {
        let empty = SiteGraph(nodes: [], edges: [])
        _ = try parse(SVGExporter().render(empty))
        let data = try Self.embeddedData(HTMLGraphExporter().render(empty))
        #expect((data["nodes"] as? [Any])?.isEmpty == true)
        #expect((data["edges"] as? [Any])?.isEmpty == true)
    }

    /// The JSON inside `<script type="application/json" id="graph-data">`.
    static func embeddedData(_ html: String) throws -> [String: Any] {
        let open = #"<script type="application/json" id="graph-data">"#
        let start = try #require(html.range(of: open))
        let end = try #require(html.range(of: "</script>", range: start.upperBound..<html.endIndex))
        let json = String(html[start.upperBound..<end.lowerBound])
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    @Test func htmlEmbedsTheGraphAsInertJSONThatRoundTrips() throws {
        let html = HTMLGraphExporter().render(byDomain)
        let data = try Self.embeddedData(html)
        let nodes = try #require(data["nodes"] as? [[String: Any]])
        let edges = try #require(data["edges"] as? [[Int]])
        #expect(nodes.count == byDomain.nodes.count)
        #expect(edges.count == byDomain.edges.count)
        #expect(nodes.contains { $0["label"] as? String == F.xssHost })
        #expect(nodes.contains { $0["company"] as? String == F.xssCompany })
        // Only the page's own two scripts; the hostile strings exist only as \u escapes.
        #expect(html.components(separatedBy: "<script").count == 3)
        #expect(!html.contains("<img"))
        #expect(!html.contains("<b>"))
        #expect(html.contains(#"\u003cscript\u003ealert(1)\u003c/script\u003e.example"#))
        #expect(!html.contains("http://") && !html.contains("https://"))
        #expect(html.contains("default-src 'none'"))
    }

    @Test func htmlTitleIsEscaped() {
        let html = HTMLGraphExporter(title: "</title><script>x</script>").render(byDomain)
        #expect(html.contains("<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;</title>"))
    }
}
