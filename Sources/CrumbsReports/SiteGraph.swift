import Foundation

/// A directed, weighted graph of first-party sites and the third parties their pages contact.
///
/// Edges always run from a first-party site (`site:…`) to a third party (`third:…` or
/// `company:…`), so the graph is bipartite. Nodes and edges are kept sorted by id so that every
/// exporter produces byte-identical output for the same events (diffable reports, stable tests).
public struct SiteGraph: Sendable, Equatable {
    /// What a node stands for.
    public enum NodeKind: String, Sendable, Codable, CaseIterable {
        /// A page's registrable domain (eTLD+1), e.g. `news.example`.
        case firstParty
        /// A third-party host or registrable domain, e.g. `doubleclick.net`.
        case thirdParty
        /// A company owning third parties (when grouping by company), e.g. `Google`.
        case company
        /// A device (a client of the proxy, or an import's label) in a `--by device` graph, which
        /// draws device → company edges in place of site → third party ones.
        case device

        /// The side edges start from: sites, or devices.
        public var isOrigin: Bool { self == .firstParty || self == .device }
    }

    /// One site, third party or company.
    public struct Node: Sendable, Equatable, Identifiable {
        /// Stable, prefixed id: `site:news.example`, `third:doubleclick.net`, `company:Google`.
        /// The prefix keeps a site and a third party with the same name apart.
        public var id: String
        /// Human-readable name (host, domain or company). Comes from the network: exporters escape it.
        public var label: String
        public var kind: NodeKind
        /// The company behind a third party (most frequent among its events); nil if unknown.
        public var company: String?
        /// Sorted, de-duplicated categories from the classifier (`advertising`, `analytics`, …).
        public var categories: [String]
        public var firstSeen: Date
        public var lastSeen: Date
        /// Third-party requests on this node's edges.
        public var requests: Int
        /// Distinct nodes at the other end of its edges: for a third party, the first-party sites
        /// it was seen on; for a first-party site, the third parties its pages contacted.
        public var sites: Int
        /// Some response on its edges carried a `Set-Cookie`.
        public var setsCookies: Bool
        /// Some request on its edges carried a `Cookie` header.
        public var sendsCookies: Bool

        public init(
            id: String, label: String, kind: NodeKind, company: String? = nil, categories: [String] = [],
            firstSeen: Date, lastSeen: Date, requests: Int = 0, sites: Int = 0,
            setsCookies: Bool = false, sendsCookies: Bool = false
        ) {
            self.id = id
            self.label = label
            self.kind = kind
            self.company = company
            self.categories = categories
            self.firstSeen = firstSeen
            self.lastSeen = lastSeen
            self.requests = requests
            self.sites = sites
            self.setsCookies = setsCookies
            self.sendsCookies = sendsCookies
        }
    }

    /// A first-party site → third party relation, weighted by requests.
    public struct Edge: Sendable, Equatable, Identifiable {
        /// Id of the first-party site node.
        public var source: String
        /// Id of the third-party (or company) node.
        public var target: String
        /// Requests from the site's pages to the third party: the edge weight.
        public var requests: Int
        /// Distinct calendar days (in the builder's time zone) with at least one request.
        public var daysSeen: Int
        /// Distinct cookie names sent or set on this edge (names only; values are never kept).
        public var cookies: Int
        /// At least one request on this edge was classified as a tracker.
        public var tracker: Bool
        /// Requests on this edge whose page is a guess (timing, a navigation inferred from the
        /// tunnels) rather than an observation.
        public var inferredRequests: Int

        /// `source->target`: unique because the graph is not a multigraph.
        public var id: String { "\(source)->\(target)" }

        /// Every request on this edge was attributed to the site by a guess: the link itself is
        /// inferred, not observed. Exporters mark it (dashed, `inferred` attribute).
        public var inferred: Bool { inferredRequests >= requests }

        /// How the link is known: `observed` or `inferred`.
        public var confidence: String { inferred ? "inferred" : "observed" }

        public init(
            source: String, target: String, requests: Int, daysSeen: Int, cookies: Int, tracker: Bool,
            inferredRequests: Int = 0
        ) {
            self.source = source
            self.target = target
            self.requests = requests
            self.daysSeen = daysSeen
            self.cookies = cookies
            self.tracker = tracker
            self.inferredRequests = inferredRequests
        }
    }

    public private(set) var nodes: [Node]
    public private(set) var edges: [Edge]

    /// Sorts nodes and edges by id; callers guarantee that every edge endpoint is a node.
    public init(nodes: [Node], edges: [Edge]) {
        self.nodes = nodes.sorted { $0.id < $1.id }
        self.edges = edges.sorted { ($0.source, $0.target) < ($1.source, $1.target) }
    }

    /// The node with this id, if any.
    public func node(_ id: String) -> Node? {
        nodes.first { $0.id == id }
    }

    /// The edge between two node ids, if any.
    public func edge(from source: String, to target: String) -> Edge? {
        edges.first { $0.source == source && $0.target == target }
    }
}
