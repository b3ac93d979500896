import CrumbsModel
import CrumbsReports
import Foundation
import Testing

/// The interactive HTML graph in headless Chromium: the script runs without a console error,
/// fills the filters and the status line, keeps hostile names as text, and paints 5,000 nodes in
/// one frame quickly. Screenshots are kept in artifacts/graph/.
struct GraphBrowserTests {
    typealias F = GraphStoreFixture
    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }

    func chromium(_ arguments: [String]) throws -> (status: Int32, output: String, error: String) {
        let binary = try #require(Self.chromium, "chromium is not installed (scripts/test installs it)")
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-chromium-\(UUID())")
        defer { try? FileManager.default.removeItem(at: profile) }
        return try runBounded(
            binary,
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
                "--user-data-dir=\(profile.path)", "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=3000",
            ] + arguments)
    }

    /// No uncaught exception, no CSP refusal, no console error of any kind.
    func expectCleanConsole(_ log: String, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in log.split(separator: "\n")
        where line.contains("CONSOLE") || line.contains("Uncaught")
            || line.contains("Refused to")
        {
            Issue.record("browser console: \(line)", sourceLocation: sourceLocation)
        }
    }

    /// The value of `data-<name>` on `<body>` in a dumped DOM.
    func bodyData(_ dom: String, _ name: String) -> String? {
        guard let range = dom.range(of: "data-\(name)=\"") else { return nil }
        return String(dom[range.upperBound...].prefix { $0 != "\"" })
    }

    @Test func graphPageRunsAndShowsHostileNamesAsText() throws {
        let graph = GraphBuilder(grouping: .domain, siteOf: F.siteOf).build(F.events)
        let page = try GraphArtifacts.file("graph.html")
        try HTMLGraphExporter().render(graph).write(to: page, atomically: true, encoding: .utf8)

        let dump = try chromium(["--dump-dom", page.absoluteString])
        #expect(dump.status == 0, "\(dump.error)")
        expectCleanConsole(dump.error)
        let dom = dump.output
        #expect(bodyData(dom, "ready") == "true")
        let nodes = graph.nodes.count
        #expect(dom.contains("\(nodes) of \(nodes) nodes, \(graph.edges.count) edges"))
        // The filters were filled from the data, with the hostile company as option text.
        #expect(dom.contains("<option value=\"Google\">Google</option>"))
        #expect(dom.contains("&lt;b&gt;Evil &amp; Co&lt;/b&gt;</option>"))
        #expect(dom.contains("<option value=\"advertising\">advertising</option>"))
        #expect(!dom.contains("<b>"))
        #expect(!dom.contains("<img"))

        let screenshot = try GraphArtifacts.file("graph.png")
        try? FileManager.default.removeItem(at: screenshot)
        let shot = try chromium(["--screenshot=\(screenshot.path)", "--window-size=1200,900", page.absoluteString])
        #expect(shot.status == 0, "\(shot.error)")
        expectCleanConsole(shot.error)
        let size = try FileManager.default.attributesOfItem(atPath: screenshot.path)[.size] as? Int ?? 0
        #expect(size > 10_000)
    }

    @Test func filtersAndFocusComeFromTheAddress() throws {
        let graph = GraphBuilder(grouping: .domain, siteOf: F.siteOf).build(F.events)
        let page = try GraphArtifacts.file("graph-focus.html")
        try HTMLGraphExporter().render(graph).write(to: page, atomically: true, encoding: .utf8)

        // Search plus a pinned node: doubleclick.net and its three sites are highlighted.
        let focus = try chromium([
            "--dump-dom", page.absoluteString + "#search=doubleclick&focus=third:doubleclick.net",
        ])
        expectCleanConsole(focus.error)
        #expect(focus.output.contains(", 1 matching · doubleclick.net: 3 neighbours"))

        // The hostile company, percent-encoded in the address, selects its node and its one site.
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let company = try #require(F.xssCompany.addingPercentEncoding(withAllowedCharacters: allowed))
        let filtered = try chromium(["--dump-dom", page.absoluteString + "#company=" + company])
        expectCleanConsole(filtered.error)
        #expect(filtered.output.contains("2 of \(graph.nodes.count) nodes, 1 edges"))
        #expect(!filtered.output.contains("<b>"))

        let shot = try GraphArtifacts.file("graph-focus.png")
        _ = try chromium(
            [
                "--screenshot=\(shot.path)", "--window-size=1200,900",
                page.absoluteString + "#focus=third:doubleclick.net",
            ])
    }

    @Test func fiveThousandNodesPaintInOneQuickFrame() throws {
        let graph = Self.largeGraph(sites: 2_000, thirdParties: 3_000, edgesPerSite: 25)
        #expect(graph.nodes.count == 5_000)
        let page = try GraphArtifacts.file("graph-5000.html")
        try HTMLGraphExporter().render(graph).write(to: page, atomically: true, encoding: .utf8)
        let dump = try chromium(["--dump-dom", page.absoluteString])
        #expect(dump.status == 0, "\(dump.error)")
        expectCleanConsole(dump.error)
        #expect(bodyData(dump.output, "ready") == "true")
        let paint = try #require(bodyData(dump.output, "paint-ms").flatMap { Int($0) })
        // Software rendering on a shared 2-core machine; a browser with a GPU is far quicker.
        #expect(paint < 1_000, "first frame took \(paint) ms")
        let shot = try GraphArtifacts.file("graph-5000.png")
        _ = try chromium(["--screenshot=\(shot.path)", "--window-size=1200,900", page.absoluteString])
        print("graph-5000: \(graph.nodes.count) nodes, \(graph.edges.count) edges, first frame \(paint) ms")
    }

    /// Sites contacting third parties with a Zipf-like skew (a few third parties everywhere),
    /// from a fixed linear congruential sequence so that every run draws the same graph.
    static func largeGraph(sites: Int, thirdParties: Int, edgesPerSite: Int) -> SiteGraph {
        var state: UInt64 = 20_251_124
        func next() -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(state >> 11) / Double(1 << 53)
        }
        let categories = ["advertising", "analytics", "social", "content", "tagManager"]
        var edges: [String: SiteGraph.Edge] = [:]
        var degree = [Int](repeating: 0, count: thirdParties)
        for s in 0..<sites {
            for _ in 0..<edgesPerSite {
                // Inverse-power sampling: rank ~ N^u gives a Zipf-like spread.
                let t = min(thirdParties - 1, Int(pow(Double(thirdParties), next())) - 1)
                let key = "\(s)>\(t)"
                if edges[key] == nil {
                    degree[t] += 1
                    edges[key] = SiteGraph.Edge(
                        source: "site:s\(s).example", target: "third:t\(t).example", requests: 1 + Int(next() * 40),
                        daysSeen: 1 + Int(next() * 30), cookies: Int(next() * 3), tracker: t % 4 != 3)
                }
            }
        }
        var nodes = (0..<sites).map {
            SiteGraph.Node(
                id: "site:s\($0).example", label: "s\($0).example", kind: .firstParty, firstSeen: F.day0,
                lastSeen: F.day0, requests: 10, sites: edgesPerSite)
        }
        nodes += (0..<thirdParties).map {
            SiteGraph.Node(
                id: "third:t\($0).example", label: "t\($0).example", kind: .thirdParty, company: "Company \($0 % 97)",
                categories: [categories[$0 % categories.count]], firstSeen: F.day0, lastSeen: F.day0,
                requests: degree[$0] * 20, sites: degree[$0])
        }
        return SiteGraph(nodes: nodes, edges: Array(edges.values))
    }
}
