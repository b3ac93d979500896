import Foundation

/// Runs the real consumers of the exports (networkx, Graphviz) on temp files.
///
/// Every run goes through coreutils `timeout`, so a hung interpreter fails the test instead of
/// stalling the suite.
enum ExternalTool {
    static let timeoutSeconds = "60"

    static func exists(_ path: String) -> Bool {
        FileManager.default.isExecutableFile(atPath: path)
    }

    static var hasNetworkx: Bool {
        exists("/usr/bin/timeout") && run("/usr/bin/python3", ["-c", "import networkx"]).status == 0
    }

    static var hasDot: Bool { exists("/usr/bin/timeout") && run("dot", ["-V"]).status == 0 }

    /// Exit status and combined stdout+stderr. Python is Debian's /usr/bin/python3, whose
    /// networkx comes from python3-networkx (scripts/test installs it): a pyenv or venv python3
    /// earlier in PATH would test another networkx than the one a Debian user has.
    static func run(_ executable: String, _ arguments: [String]) -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        process.arguments = [timeoutSeconds, executable] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        do { try process.run() } catch { return (-1, "\(error)") }
        // Read before waiting: a full pipe would otherwise block the child forever.
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Writes `text` to a fresh temp file and returns its path.
    static func write(_ text: String, ext: String) throws -> String {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("crumbs-graph-\(UUID().uuidString).\(ext)")
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// Loads a file with networkx and prints `nodes edges`, after checking that the hostile node
    /// came back with exactly the hostile label (escaping must round-trip, not mangle).
    static let networkxCheck = """
        import json, sys, networkx as nx
        fmt, path, node_id, label, edges_key = sys.argv[1:6]
        if fmt == "graphml": g = nx.read_graphml(path)
        elif fmt == "gexf": g = nx.read_gexf(path)
        else:
            data = json.load(open(path))
            assert edges_key in data, "no %r in the document" % edges_key
            try: g = nx.node_link_graph(data, edges=edges_key)  # networkx >= 3.4
            except TypeError:  # networkx 2.x reads "links" only
                data["links"] = data.pop(edges_key)
                g = nx.node_link_graph(data)
        assert g.is_directed(), "not directed"
        got = g.nodes[node_id]["label"]
        assert got == label, repr(got)
        w = g.get_edge_data("site:news.example", "third:doubleclick.net", default={})
        print(g.number_of_nodes(), g.number_of_edges(), int(w.get("weight", 0)), int(w.get("requests", 0)))
        """

    static func networkx(_ format: String, _ path: String, nodeID: String, label: String, edgesKey: String = "links")
        -> (status: Int32, output: String)
    {
        run("/usr/bin/python3", ["-c", networkxCheck, format, path, nodeID, label, edgesKey])
    }
}
