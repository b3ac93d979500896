/// What the graph's colours, shapes and lines mean, for the pages that draw it: sites are
/// squares, third parties circles coloured by their most telling category, tracker links red,
/// others grey, and links known only by a guess dashed.
public enum GraphLegend {
    public enum Mark: String, Sendable {
        case square, circle, line, dashedLine
    }

    public struct Entry: Sendable, Equatable {
        public var mark: Mark
        public var colour: String
        /// "site", "device", a category's raw name, "uncategorised", "tracker", "other", "inferred".
        public var name: String
    }

    /// The entries `graph` needs: only the categories it has, the dashed line only if it has guesses.
    public static func entries(for graph: SiteGraph) -> [Entry] {
        var entries: [Entry] = []
        if graph.nodes.contains(where: { $0.kind == .firstParty }) {
            entries.append(Entry(mark: .square, colour: GraphPalette.firstParty, name: "site"))
        }
        if graph.nodes.contains(where: { $0.kind == .device }) {
            entries.append(Entry(mark: .square, colour: GraphPalette.firstParty, name: "device"))
        }
        let used = Set(graph.nodes.filter { !$0.kind.isOrigin }.map { GraphPalette.category(of: $0) ?? "" })
        for category in GraphPalette.categories where used.contains(category.name) {
            entries.append(Entry(mark: .circle, colour: category.colour, name: category.name))
        }
        if used.contains("") || used.contains(where: { name in !GraphPalette.categories.contains { $0.name == name } })
        {
            entries.append(Entry(mark: .circle, colour: GraphPalette.uncategorised, name: "uncategorised"))
        }
        entries.append(Entry(mark: .line, colour: GraphPalette.trackerEdge, name: "tracker"))
        entries.append(Entry(mark: .line, colour: GraphPalette.otherEdge, name: "other"))
        if graph.edges.contains(where: { $0.inferredRequests > 0 }) {
            entries.append(Entry(mark: .dashedLine, colour: GraphPalette.otherEdge, name: "inferred"))
        }
        return entries
    }

    /// A small inline SVG of `entry`'s mark (presentation attributes, no style: it passes a
    /// Content-Security-Policy without inline styles).
    public static func swatch(_ entry: Entry) -> String {
        let shape: String
        switch entry.mark {
        case .square: shape = "<rect x=\"2\" y=\"2\" width=\"10\" height=\"10\" fill=\"\(entry.colour)\"/>"
        case .circle: shape = "<circle cx=\"7\" cy=\"7\" r=\"5\" fill=\"\(entry.colour)\"/>"
        case .line: shape = "<line x1=\"0\" y1=\"7\" x2=\"14\" y2=\"7\" stroke=\"\(entry.colour)\" stroke-width=\"2\"/>"
        case .dashedLine:
            shape =
                "<line x1=\"0\" y1=\"7\" x2=\"14\" y2=\"7\" stroke=\"\(entry.colour)\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>"
        }
        return "<svg width=\"14\" height=\"14\" viewBox=\"0 0 14 14\" aria-hidden=\"true\">\(shape)</svg>"
    }
}
