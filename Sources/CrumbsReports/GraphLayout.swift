import Foundation

/// Where each node of a `SiteGraph` is drawn: a radial layout computed by Crumbs, shared by the
/// SVG drawing and the interactive HTML page.
///
/// Third parties fill a central disc in rings, the ones seen on most sites innermost, so the
/// trackers that follow you everywhere sit in the middle. Each first-party site goes on outer
/// rings at the angle of the (weighted) centre of the third parties it contacted, so sites that
/// share trackers end up near each other. Linear in nodes plus edges — unlike a force-directed
/// layout, which is quadratic per iteration — and deterministic: the same graph gives the same
/// picture, byte for byte.
public struct GraphLayout: Sendable, Equatable {
    /// A position in drawing units (SVG user units, canvas pixels at zoom 1).
    public struct Point: Sendable, Equatable {
        public var x: Double
        public var y: Double
    }

    /// Centre of each node, in `graph.nodes` order.
    public let centres: [Point]
    /// Radius of each node, in `graph.nodes` order: grows with the square root of `sites`.
    public let radii: [Double]
    /// Width and height of the square drawing.
    public let size: Double

    /// Space between neighbouring nodes on a ring, and around the drawing. A small graph gets
    /// room for its labels; a big one is packed, since its labels show only when zoomed in.
    static let gap = 3.0
    static let labelGap = 36.0
    static let smallGraph = 80
    static let margin = 40.0

    public init(_ graph: SiteGraph) {
        let nodes = graph.nodes
        var index: [String: Int] = [:]
        for (i, node) in nodes.enumerated() { index[node.id] = i }
        let radii = nodes.map(Self.radius)
        let spacing = nodes.count <= Self.smallGraph ? Self.labelGap : Self.gap
        var polar = [(angle: Double, distance: Double)](repeating: (0, 0), count: nodes.count)

        // Third parties: most sites first, then most requests, then id (a total order).
        let thirds = nodes.indices.filter { !nodes[$0].kind.isOrigin }.sorted {
            (-nodes[$0].sites, -nodes[$0].requests, nodes[$0].id) < (
                -nodes[$1].sites, -nodes[$1].requests, nodes[$1].id
            )
        }
        var outer = Self.placeOnRings(thirds, radii: radii, from: 0, spacing: spacing, into: &polar)

        // Sites: at the angle of the weighted centre of their third parties.
        var pull = [(x: Double, y: Double)](repeating: (0, 0), count: nodes.count)
        for edge in graph.edges {
            guard let s = index[edge.source], let t = index[edge.target] else { continue }
            let weight = log2(1 + Double(edge.requests))
            // A third party at the very centre has no direction: nudge by its ring order instead.
            let distance = max(polar[t].distance, 1)
            pull[s].x += weight * distance * cos(polar[t].angle)
            pull[s].y += weight * distance * sin(polar[t].angle)
        }
        let sites = nodes.indices.filter { nodes[$0].kind.isOrigin }.sorted {
            let a = atan2(pull[$0].y, pull[$0].x)
            let b = atan2(pull[$1].y, pull[$1].x)
            return a != b ? a < b : nodes[$0].id < nodes[$1].id
        }
        outer = Self.placeOnRings(
            sites, radii: radii, from: outer + 60, spacing: spacing, interleaved: true, into: &polar)

        size = (2 * (outer + Self.margin)).rounded(.up)
        let middle = size / 2
        centres = polar.map {
            Point(
                x: Self.rounded(middle + $0.distance * cos($0.angle)),
                y: Self.rounded(middle + $0.distance * sin($0.angle)))
        }
        self.radii = radii
    }

    /// Third parties grow with the sites they were seen on, sites with the third parties they
    /// contacted (fewer steps: a site is one page, not a tracker's reach).
    static func radius(_ node: SiteGraph.Node) -> Double {
        let sites = Double(max(node.sites, 1))
        switch node.kind {
        case .firstParty, .device: return rounded(min(16, 2.5 + 0.9 * sqrt(sites)))
        case .thirdParty, .company: return rounded(min(32, 3 + 2 * sqrt(sites)))
        }
    }

    /// Fills rings outward from `start`, each ring as full as its circumference allows, and
    /// returns the outer edge of the last ring. With `interleaved`, the items are dealt round the
    /// rings in turn (item k to ring k mod n), so every ring spans the whole circle and order by
    /// angle survives; otherwise the first items fill the innermost ring.
    static func placeOnRings(
        _ items: [Int], radii: [Double], from start: Double, spacing gap: Double, interleaved: Bool = false,
        into polar: inout [(angle: Double, distance: Double)]
    ) -> Double {
        guard !items.isEmpty else { return start }
        let widest = 2 * (items.map { radii[$0] }.max() ?? 1) + gap
        var rings: [[Int]] = []
        if interleaved {
            // Enough rings that the ring at the inner edge can hold its share.
            let perRing = max(1, Int(2 * Double.pi * max(start, widest) / widest))
            let count = (items.count + perRing - 1) / perRing
            rings = (0..<count).map { ring in stride(from: ring, to: items.count, by: count).map { items[$0] } }
        } else {
            var distance = start
            var ring: [Int] = []
            var used = 0.0
            for item in items {
                let width = 2 * radii[item] + gap
                let capacity = distance == 0 ? width : 2 * Double.pi * distance
                if !ring.isEmpty && used + width > capacity {
                    rings.append(ring)
                    distance += (ring.map { 2 * radii[$0] }.max() ?? 0) / 2 + widest / 2 + gap
                    (ring, used) = ([], 0)
                }
                ring.append(item)
                used += width
            }
            rings.append(ring)
        }
        // Second pass: each ring's distance from its own widest member, so rings never overlap.
        var distance = start
        var previousHalf = 0.0
        for (number, ring) in rings.enumerated() {
            let half = (ring.map { radii[$0] }.max() ?? 0) + gap
            let arc = ring.reduce(0) { $0 + 2 * radii[$1] + gap }
            distance = max(distance + previousHalf + half, arc / (2 * Double.pi))
            if number == 0 && start == 0 && ring.count == 1 { distance = 0 }
            // Offset each ring by half a slot so neighbouring rings do not line up radially.
            let offset = Double(number % 2) * Double.pi / Double(max(ring.count, 1))
            for (k, item) in ring.enumerated() {
                polar[item] = (offset + 2 * Double.pi * Double(k) / Double(ring.count) - Double.pi, distance)
            }
            previousHalf = half
        }
        return distance + previousHalf
    }

    /// One decimal: enough for drawing, and keeps the output short and stable.
    static func rounded(_ value: Double) -> Double {
        (value * 10).rounded() / 10
    }
}
