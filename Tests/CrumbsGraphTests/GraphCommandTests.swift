import CrumbsModel
import CrumbsStore
import CrumbsTestSupport
import Foundation
import Testing

/// `crumbs graph` as a user runs it: the built binary on a data directory holding the fixture.
struct GraphCommandTests {
    typealias F = GraphStoreFixture

    /// A data directory whose store holds the fixture events; removed when `body` returns.
    func withDataDirectory<T>(_ body: (URL) throws -> T) throws -> T {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-graph-cli-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        try EventStore(path: directory.appendingPathComponent("crumbs.sqlite").path).append(F.events)
        return try body(directory)
    }

    func crumbs(_ arguments: [String], in directory: URL) throws -> (status: Int32, output: String, error: String) {
        #expect(FileManager.default.isExecutableFile(atPath: GraphArtifacts.crumbs), "run scripts/test or swift build")
        var environment = ProcessInfo.processInfo.environment
        environment["XDG_CONFIG_HOME"] = directory.appendingPathComponent("config").path
        try Unprivileged.handOver(directory)
        let command = Unprivileged.command(
            GraphArtifacts.crumbs, ["graph", "--data-dir", directory.path] + arguments)
        return try runBounded(command.executable, command.arguments, environment: environment)
    }

    @Test(arguments: [
        ("graphml", "<graphml"), ("gexf", "<gexf"), ("dot", "digraph crumbs {"), ("json", "\"directed\" : true"),
        ("svg", "<svg"), ("html", "<!DOCTYPE html>"),
    ])
    func everyFormatIsWrittenToStdoutWithHostileNamesEscaped(format: String, marker: String) throws {
        try withDataDirectory { directory in
            let run = try crumbs(["--format", format], in: directory)
            #expect(run.status == 0, "\(run.error)")
            #expect(run.output.contains(marker))
            #expect(run.output.contains("doubleclick.net"))
            #expect(!run.output.contains("<img"))
            #expect(!run.output.contains("<b>Evil"))
            if format == "dot" {
                // DOT has no markup: the name is inside a double-quoted string, where only `"` and
                // `\` are special (and both are escaped).
                #expect(run.output.contains(#"label="<script>alert(1)</script>.example""#))
            } else {
                #expect(!run.output.contains("<script>alert"))
            }
        }
    }

    @Test func formatFollowsTheOutExtension() throws {
        try withDataDirectory { directory in
            let out = directory.appendingPathComponent("month.svg")
            let run = try crumbs(["--out", out.path], in: directory)
            #expect(run.status == 0, "\(run.error)")
            #expect(try String(contentsOf: out, encoding: .utf8).contains("<svg"))
        }
    }

    @Test func csvWritesANodesFileAndAnEdgesFile() throws {
        try withDataDirectory { directory in
            let run = try crumbs(
                ["--format", "csv", "--out", directory.appendingPathComponent("g.csv").path], in: directory)
            #expect(run.status == 0, "\(run.error)")
            let nodes = try String(contentsOf: directory.appendingPathComponent("g-nodes.csv"), encoding: .utf8)
            let edges = try String(contentsOf: directory.appendingPathComponent("g-edges.csv"), encoding: .utf8)
            #expect(nodes.hasPrefix("Id,Label,kind,"))
            #expect(edges.hasPrefix("Source,Target,Weight,"))
            #expect(edges.contains("site:news.example,third:doubleclick.net,3,3,2,2,true"))
            let missing = try crumbs(["--format", "csv"], in: directory)
            #expect(missing.status != 0)
            #expect(missing.error.contains("--out"))
        }
    }

    @Test func filtersGroupingAndRangeReachTheGraph() throws {
        try withDataDirectory { directory in
            func nodes(_ arguments: [String]) throws -> [String] {
                let run = try crumbs(["--format", "json"] + arguments, in: directory)
                #expect(run.status == 0, "\(run.error)")
                let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
                return (object?["nodes"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }.sorted()
            }
            #expect(try nodes(["--category", "social"]) == ["site:shop.example", "third:facebook.net"])
            #expect(try nodes(["--min-sites", "3"]).filter { !$0.hasPrefix("site:") } == ["third:doubleclick.net"])
            #expect(
                try nodes(["--by", "company", "--category", "analytics"]) == ["company:Google", "site:news.example"])
            #expect(
                try nodes(["--by", "host", "--min-sites", "3"]) == [
                    "site:blog.example", "site:news.example", "site:shop.example", "third:stats.doubleclick.net",
                ])
            // The fixture starts 2026-11-04T10:00Z; ISO 8601 with a zone is unambiguous.
            let range = try nodes(["--since", "2026-11-05T10:00:00Z", "--until", "2026-11-06T10:00:00Z"])
            #expect(range == ["site:news.example", "site:shop.example", "third:doubleclick.net", "third:facebook.net"])
            #expect(try nodes(["--since", "2030-01-01T00:00:00Z"]).isEmpty)
        }
    }

    @Test func aMissingDatabaseIsAnErrorNotAnEmptyGraph() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-graph-none-\(UUID())")
        defer { try? FileManager.default.removeItem(at: directory) }
        let run = try crumbs([], in: directory)
        #expect(run.status != 0)
        #expect(run.error.contains("no database at \(directory.path)/crumbs.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("crumbs.sqlite").path))
    }

    @Test func jsonEdgesAreUnderLinksUnlessAskedOtherwise() throws {
        try withDataDirectory { directory in
            for (arguments, key, other) in [([], "links", "edges"), (["--json-edges", "edges"], "edges", "links")] {
                let run = try crumbs(["--format", "json"] + arguments, in: directory)
                #expect(run.status == 0, "\(run.error)")
                let object = try JSONSerialization.jsonObject(with: Data(run.output.utf8)) as? [String: Any]
                #expect((object?[key] as? [Any])?.isEmpty == false && object?[other] == nil, "\(arguments)")
            }
        }
    }

    @Test func badOptionsFailWithOneClearLine() throws {
        try withDataDirectory { directory in
            for (arguments, message) in [
                (["--by", "planet"], "--by must be one of host, domain, company"),
                (["--min-sites", "0"], "--min-sites must be at least 1"),
                (["--json-edges", "arcs"], "--json-edges must be links or edges"),
                (["--format", "png"], "png"),
                (["--since", "yesterday-ish"], "--since yesterday-ish is not"),
                (["--since", "2026-11-06", "--until", "2026-11-05"], "--since must be before --until"),
            ] {
                let run = try crumbs(arguments, in: directory)
                #expect(run.status != 0, "\(arguments)")
                #expect(run.error.contains(message), "\(arguments): \(run.error)")
            }
        }
    }
}
