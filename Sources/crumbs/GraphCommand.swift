import ArgumentParser
import CrumbsLists
import CrumbsModel
import CrumbsReports
import CrumbsStore
import Foundation

/// `crumbs graph`: the sites you visited and the third parties their pages contacted, as a graph
/// file for Gephi, networkx, Graphviz, a spreadsheet, or as a drawing (SVG, interactive HTML).
struct GraphCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Export the site ↔ third-party graph (GraphML, GEXF, DOT, JSON, CSV, SVG, HTML).",
        discussion: """
            Nodes are first-party sites and third parties (hosts, domains or companies, see --by); \
            edges run from a site to a third party its pages contacted, weighted by requests, with \
            the days seen and the distinct cookie names. Only classified third-party traffic counts. \
            Without --format, the format follows the --out file's extension (.graphml, .gexf, .dot, \
            .gv, .json, .csv, .svg, .html), else JSON. CSV writes two files: --out graph.csv gives \
            graph-nodes.csv and graph-edges.csv (and needs --out). Days are local days.
            """
    )

    /// An export format and the file extensions that imply it.
    enum Format: String, CaseIterable, ExpressibleByArgument {
        case graphml, gexf, dot, json, csv, svg, html

        var extensions: [String] {
            switch self {
            case .dot: ["dot", "gv"]
            case .html: ["html", "htm"]
            default: [rawValue]
            }
        }
    }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sourceOption: SourceOption
    @OptionGroup var deviceOption: DeviceOption

    @Option(help: "Start: YYYY-MM-DD, YYYY-MM-DDTHH:MM (local) or ISO 8601 with a zone (default: the first event).")
    var since: String?

    @Option(help: "End, exclusive (default: now).")
    var until: String?

    @Option(
        help: "Third-party nodes: host, domain or company; device draws device → company edges (who saw which device).")
    var by: String = GraphGrouping.domain.rawValue

    @Option(name: .customLong("min-sites"), help: "Keep third parties seen on at least N sites.")
    var minSites: Int = 1

    @Option(help: "Keep only traffic of this category (advertising, analytics, social, …).")
    var category: String?

    @Option(help: "The output format (default: from the --out extension, else json).")
    var format: Format?

    @Option(help: "Write to this file instead of stdout (CSV: FILE-nodes.csv and FILE-edges.csv).")
    var out: String?

    @Option(name: .customLong("psl"), help: "Public Suffix List file for --by domain (default: as `crumbs run`).")
    var publicSuffixList: String?

    @Option(
        name: .customLong("json-edges"),
        help: "JSON only: name of the edge list, links (d3, networkx 2.x; default) or edges (networkx 3.6's default).")
    var jsonEdges: String = "links"

    @Flag(
        name: .customLong("observed-only"),
        help: "Leave out links known only by a guess (timing, a navigation inferred from tunnels).")
    var observedOnly = false

    func validate() throws {
        guard by == "device" || GraphGrouping(rawValue: by) != nil else {
            throw ValidationError("--by must be one of host, domain, company, device")
        }
        guard minSites >= 1 else { throw ValidationError("--min-sites must be at least 1") }
        guard NodeLinkJSONExporter.EdgesKey(rawValue: jsonEdges) != nil else {
            throw ValidationError("--json-edges must be links or edges")
        }
        if resolvedFormat == .csv, out == nil {
            throw ValidationError("--format csv writes two files: give --out FILE.csv")
        }
    }

    /// The --format, else the one --out's extension names, else JSON.
    var resolvedFormat: Format {
        if let format { return format }
        if let out {
            let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
            if let match = Format.allCases.first(where: { $0.extensions.contains(ext) }) { return match }
        }
        return .json
    }

    func run() throws {
        try CLIError.reporting {
            let config = try global.loadConfig()
            let dataDirectory = try global.resolvedDataDirectory(config: config)
            let zone = TimeZone.current
            let now = Date()
            let start = try since.map { try DigestCommand.parseTime($0, "--since", zone) }
            let end = try until.map { try DigestCommand.parseTime($0, "--until", zone) }
            if let start, let end, start >= end { throw CLIError("--since must be before --until") }

            let store = try global.existingStore(dataDirectory: dataDirectory)
            let clients = try deviceOption.clients(store: store, dataDirectory: dataDirectory, config: config)
            let byDevice = by == "device"
            var traffic: [ThirdPartyTraffic]
            do {
                traffic = try store.thirdPartyTraffic(
                    since: start, until: end, utcOffset: zone.secondsFromGMT(for: end ?? now),
                    observedOnly: observedOnly, sources: sourceOption.sources, clients: clients, byClient: byDevice)
                if byDevice {
                    // Devices appear under their names where they have one.
                    let names = Dictionary(
                        try store.devices().compactMap { device in device.name.map { (device.client, $0) } },
                        uniquingKeysWith: { first, _ in first })
                    for index in traffic.indices {
                        let client = traffic[index].firstPartySite
                        traffic[index].firstPartySite =
                            names[client] ?? (client.isEmpty ? "(no client recorded)" : client)
                    }
                }
            } catch {
                throw CLIError("\(error)")
            }
            let suffixes = try publicSuffixes(config: config, dataDirectory: dataDirectory)
            var builder = GraphBuilder(
                grouping: byDevice ? .company : GraphGrouping(rawValue: by) ?? .domain, minSites: minSites,
                category: category, timeZone: zone, resolver: suffixes)
            if byDevice { builder.originKind = .device }
            if let label = deviceOption.label {
                FileHandle.standardError.write(Data("note: only \(label)\n".utf8))
            }
            let graph = builder.build(traffic: traffic)
            if graph.nodes.isEmpty {
                FileHandle.standardError.write(Data("note: no classified third-party traffic in this range\n".utf8))
            }
            let inferred = graph.edges.filter(\.inferred).count
            if inferred > 0 {
                FileHandle.standardError.write(
                    Data(
                        ("note: \(inferred) of \(graph.edges.count) links are inferred from timing, not observed "
                            + "(attribute inferred=true, dashed when drawn; --observed-only leaves them out)\n").utf8))
            }
            try write(graph)
        }
    }

    /// Only the suffix list (registrable domains): the same file `crumbs run` would pick.
    private func publicSuffixes(config: ConfigFile, dataDirectory: String) throws -> PublicSuffixList {
        let named = try publicSuffixList ?? config.string("psl")
        let sources = ListSources(dataDirectory: dataDirectory, curatedDirectory: BlocklistsLocator.directory())
        let catalog = ListCatalog(
            sources: sources, userLists: [], useDefaults: true, publicSuffixPath: named.map(DataPaths.expandTilde))
        guard let path = catalog.publicSuffixPath else {
            PublicSuffixFallback.warn(because: "no Public Suffix List file is installed")
            return .builtIn
        }
        do {
            return try PublicSuffixList(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("\(error)")
        }
    }

    private func write(_ graph: SiteGraph) throws {
        let text: String
        switch resolvedFormat {
        case .graphml: text = GraphMLExporter().render(graph)
        case .gexf: text = GEXFExporter().render(graph)
        case .dot: text = DOTExporter().render(graph)
        case .json:
            text = NodeLinkJSONExporter(edgesKey: NodeLinkJSONExporter.EdgesKey(rawValue: jsonEdges) ?? .links)
                .render(graph)
        case .svg: text = SVGExporter().render(graph)
        case .html: text = HTMLGraphExporter().render(graph)
        case .csv:
            let tables = CSVExporter().render(graph)
            let (nodes, edges) = Self.csvPaths(for: out ?? "graph.csv")
            try Self.write(tables.nodes, to: nodes)
            try Self.write(tables.edges, to: edges)
            return
        }
        if let out {
            try Self.write(text, to: out)
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }

    /// `graph.csv` → `graph-nodes.csv`, `graph-edges.csv` (a missing extension is added).
    static func csvPaths(for out: String) -> (nodes: String, edges: String) {
        let url = URL(fileURLWithPath: out)
        let stem = url.pathExtension.lowercased() == "csv" ? String(out.dropLast(4)) : out
        return (stem + "-nodes.csv", stem + "-edges.csv")
    }

    private static func write(_ text: String, to path: String) throws {
        do { try text.write(toFile: path, atomically: true, encoding: .utf8) } catch {
            throw CLIError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
