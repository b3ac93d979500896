import CrumbsDashboard
import Foundation
import Testing

/// The graph page over the fixture store: the drawing's data block is inert, the legend tells
/// sites from third parties, guesses are said and marked, the tables hold the same graph, in
/// English and French, and the script it loads is the exported page's.
@Suite(.timeLimit(.minutes(2)))
struct DashboardGraphTests {
    @Test func theGraphPageHasTheDrawingALegendAndTheSameGraphAsTables() async throws {
        try await DashboardTests.withDashboard { client in
            let page = try await DashboardTests.get(client, "/graph?days=30&by=domain")
            #expect(page.status == 200)
            let body = page.body
            #expect(body.contains("<script src=\"/static/graph.js\"></script>"))
            #expect(body.contains("<option value=\"30\" selected>Last 30 days</option>"))
            // The data block: hostile names as \u escapes, nothing that could close the block.
            let block = try #require(
                body.components(separatedBy: "<script type=\"application/json\" id=\"graph-data\">").last?
                    .components(separatedBy: "</script>").first)
            #expect(!block.contains("<") && block.contains("\\u003cscript\\u003e"))
            #expect(block.contains("\"text\":{") && block.contains("\"shown\":\"{nodes} of {total} nodes"))
            // Legend: a square for sites, circles by category, the kinds of line.
            #expect(
                body.contains("<rect x=\"2\" y=\"2\" width=\"10\" height=\"10\" fill=\"#334155\"/></svg> site (square)")
            )
            #expect(body.contains("fill=\"#dc2626\"/></svg> advertising"))
            #expect(body.contains("stroke-dasharray=\"3 2\"/></svg> guessed link (dashed)"))
            // The guess (a tunnel given to blog.example by timing) is said and marked in the table.
            #expect(body.contains("links are guesses (inferred from timing"))
            #expect(body.contains("<td>blog.example</td><td>tracker.example</td><td>link to a tracker, guessed</td>"))
            #expect(
                body.contains("<td>news.example</td><td>google-analytics.com</td><td>link to a tracker, observed</td>"))
            // Hostile names are text in the tables too.
            #expect(!body.contains("<script>alert(1)</script>"))
            #expect(body.contains("Evil &quot;Co&quot; &lt;b&gt;&amp;&lt;/b&gt;"))
        }
    }

    @Test func observedOnlyLeavesTheGuessesOutAndFrenchIsFrench() async throws {
        try await DashboardTests.withDashboard { client in
            let observed = try await DashboardTests.get(client, "/graph?observed=1&by=company")
            #expect(!observed.body.contains("guessed") && !observed.body.contains("links are guesses"))
            #expect(observed.body.contains("<option value=\"company\" selected>company</option>"))
            #expect(observed.body.contains("<td>Alphabet</td><td>company</td>"))

            let french = try await DashboardTests.get(client, "/graph", language: "fr")
            #expect(french.body.contains("Les sites et les tiers qu&#39;ils contactent"))
            #expect(french.body.contains("site (carré)") && french.body.contains("lien supposé (pointillés)"))
            #expect(french.body.contains("\"shown\":\"{nodes} nœuds sur {total}, {edges} liens\""))
            #expect(french.body.contains("lien vers un traqueur, supposé"))

            let script = try await DashboardTests.get(client, "/static/graph.js")
            #expect(script.status == 200 && script.body.contains("JSON.parse(document.getElementById(\"graph-data\")"))
            // A range the page does not offer falls back to the default week.
            let odd = try await DashboardTests.get(client, "/graph?days=100000&by=nonsense")
            #expect(odd.status == 200 && odd.body.contains("<option value=\"7\" selected>"))
        }
    }
}
