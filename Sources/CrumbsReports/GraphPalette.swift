import Foundation

/// Node colours shared by the SVG drawing and the HTML page: one colour per tracker category, so
/// advertising and analytics read apart at a glance; first-party sites are all one dark slate, and
/// drawn as squares where third parties are circles.
enum GraphPalette {
    /// Categories in the order a node's colour is picked: when a third party has several, the
    /// most privacy-relevant wins (advertising over content).
    static let categories: [(name: String, colour: String)] = [
        ("advertising", "#dc2626"), ("analytics", "#ea580c"), ("social", "#2563eb"),
        ("tagManager", "#ca8a04"), ("sessionReplay", "#9333ea"), ("fingerprinting", "#be185d"),
        ("cryptomining", "#7c2d12"), ("email", "#0d9488"), ("consent", "#65a30d"), ("content", "#6b7280"),
        ("other", "#a8a29e"),
    ]
    // Sites are drawn as dark squares: neither their shape nor their colour is any category's.
    static let firstParty = "#334155"
    static let uncategorised = "#78716c"
    static let trackerEdge = "#dc2626"
    static let otherEdge = "#9ca3af"

    /// The category that decides `node`'s colour, or nil (first parties, uncategorised nodes).
    static func category(of node: SiteGraph.Node) -> String? {
        guard !node.kind.isOrigin else { return nil }
        let lowered = Set(node.categories.map { $0.lowercased() })
        return categories.first { lowered.contains($0.name.lowercased()) }?.name
            ?? node.categories.first
    }

    static func colour(of node: SiteGraph.Node) -> String {
        if node.kind.isOrigin { return firstParty }
        guard let category = category(of: node) else { return uncategorised }
        return categories.first { $0.name == category }?.colour ?? uncategorised
    }
}
