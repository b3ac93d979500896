import CrumbsModel
import Foundation

/// How third-party traffic is folded into graph nodes (the CLI's `--by host|domain|company`).
public enum GraphGrouping: String, Sendable, CaseIterable {
    /// One node per requested host (`stats.g.doubleclick.net`).
    case host
    /// One node per registrable domain of the host (`doubleclick.net`).
    case domain
    /// One node per company; hosts without a known company fall back to their domain.
    case company
}

/// Builds a `SiteGraph` from the store's third-party traffic groups (`build(traffic:)`, what the
/// CLI uses) or from classified events (`build(_:)`, the same rules one event at a time).
///
/// Only events with a `classification` that names a first-party site and marks the request as
/// third party count: same-site and same-owner traffic is not what the graph is about.
public struct GraphBuilder: Sendable {
    public var grouping: GraphGrouping
    /// Keep only third parties seen on at least this many first-party sites (1 keeps all).
    public var minSites: Int
    /// Keep only events carrying this category (compared case-insensitively); nil keeps all.
    public var category: String?
    /// Time zone that decides where a day starts, for `Edge.daysSeen`.
    public var timeZone: TimeZone
    /// What the traffic's `firstPartySite` names: sites (`.firstParty`), or devices (`.device`,
    /// when the store grouped traffic by client).
    public var originKind: SiteGraph.NodeKind = .firstParty
    /// Host → registrable domain. A closure rather than a hard-coded rule because only the Public
    /// Suffix List knows that `bbc.co.uk` has three labels; the CLI passes its `SiteResolver`.
    private let siteOf: @Sendable (String) -> String?

    public init(
        grouping: GraphGrouping = .domain, minSites: Int = 1, category: String? = nil,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!,
        siteOf: @escaping @Sendable (String) -> String?
    ) {
        self.grouping = grouping
        self.minSites = minSites
        self.category = category
        self.timeZone = timeZone
        self.siteOf = siteOf
    }

    /// Uses a `SiteResolver` (the Public Suffix List) for registrable domains.
    public init(
        grouping: GraphGrouping = .domain, minSites: Int = 1, category: String? = nil,
        timeZone: TimeZone = TimeZone(identifier: "UTC")!, resolver: any SiteResolver
    ) {
        self.init(grouping: grouping, minSites: minSites, category: category, timeZone: timeZone) {
            resolver.site(ofHost: $0)
        }
    }

    /// Running totals for one node while traffic groups stream by.
    private struct NodeTally {
        var id: String
        var label: String
        var kind: SiteGraph.NodeKind
        var firstSeen: Date
        var lastSeen: Date
        var requests = 0
        /// Indices of the nodes at the other end of its edges.
        var peers: Set<Int> = []
        var companies: [String: Int] = [:]
        var categories: Set<String> = []
        var setsCookies = false
        var sendsCookies = false

        init(id: String, label: String, kind: SiteGraph.NodeKind, time: Date) {
            (self.id, self.label, self.kind) = (id, label, kind)
            (firstSeen, lastSeen) = (time, time)
        }

        mutating func add(_ t: ThirdPartyTraffic, peer: Int) {
            firstSeen = min(firstSeen, t.firstSeen)
            lastSeen = max(lastSeen, t.lastSeen)
            requests += t.requests
            peers.insert(peer)
            // A first party's own company is not known here: its traffic names the third party's.
            if !kind.isOrigin, let company = t.company { companies[company, default: 0] += t.requests }
            for category in t.categories where !categories.contains(category) { categories.insert(category) }
            setsCookies = setsCookies || !t.cookiesSet.isEmpty
            sendsCookies = sendsCookies || !t.cookiesSent.isEmpty
        }

        /// Most frequent company; ties go to the smallest name so output is deterministic.
        var company: String? {
            companies.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        }
    }

    /// Running totals for one site → third party edge.
    private struct EdgeTally {
        var source: Int
        var target: Int
        var requests = 0
        var days: Set<Int> = []
        var cookieNames: Set<String> = []
        var tracker = false
        var inferredRequests = 0

        mutating func add(_ t: ThirdPartyTraffic) {
            requests += t.requests
            inferredRequests += t.inferredRequests
            days.formUnion(t.days)
            cookieNames.formUnion(t.cookiesSent)
            cookieNames.formUnion(t.cookiesSet)
            tracker = tracker || t.tracker
        }
    }

    /// Groups the events into a graph, then applies `minSites`. Each event is one request of
    /// traffic, so this and the store's aggregate path give the same graph for the same events.
    public func build(_ events: [RequestEvent]) -> SiteGraph {
        let utcOffset = { (date: Date) in timeZone.secondsFromGMT(for: date) }
        return build(
            traffic: events.compactMap { event -> ThirdPartyTraffic? in
                guard let c = event.classification, c.isThirdParty, let site = c.firstPartySite, !site.isEmpty
                else { return nil }
                return ThirdPartyTraffic(
                    firstPartySite: site, host: event.host, company: c.company, categories: c.categories,
                    requests: 1, firstSeen: event.time, lastSeen: event.time, tracker: c.isTracker,
                    inferredRequests: c.confidence > .low ? 0 : 1,
                    days: [ThirdPartyTraffic.dayNumber(event.time, utcOffset: utcOffset(event.time))],
                    cookiesSent: Set(event.cookiesSent.map(\.name)), cookiesSet: Set(event.cookiesSet.map(\.name)))
            })
    }

    /// The (host, company) a traffic group names: hosts resolve to nodes once, not once per group.
    private struct HostKey: Hashable {
        var host: String
        var company: String?
    }

    /// Folds traffic groups (from `EventStore.thirdPartyTraffic`) into a graph: hosts become
    /// host, domain or company nodes, then `category` and `minSites` apply. Days in the groups
    /// were counted by the store; `timeZone` plays no part here. Groups may repeat a key (two
    /// time ranges read apart): everything is summed or united.
    public func build(traffic: [ThirdPartyTraffic]) -> SiteGraph {
        // Nodes and edges live in arrays and refer to each other by index: a month is hundreds of
        // thousands of groups, and string keys per group would dominate the time.
        var nodes: [NodeTally] = []
        var nodeIndex: [String: Int] = [:]
        var siteIndex: [String: Int] = [:]
        var targetIndex: [HostKey: Int] = [:]
        var edges: [EdgeTally] = []
        var edgeIndex: [Int: Int] = [:]
        let wanted = category?.lowercased()

        func node(_ id: String, _ label: String, _ kind: SiteGraph.NodeKind, _ time: Date) -> Int {
            if let known = nodeIndex[id] { return known }
            nodes.append(NodeTally(id: id, label: label, kind: kind, time: time))
            nodeIndex[id] = nodes.count - 1
            return nodes.count - 1
        }

        for t in traffic where !t.firstPartySite.isEmpty {
            if let wanted, !t.categories.contains(where: { $0.lowercased() == wanted }) { continue }
            let key = HostKey(host: t.host, company: t.company)
            let target: Int
            if let known = targetIndex[key] {
                target = known
            } else {
                let (id, label, kind) = thirdParty(of: t.host.lowercased(), company: t.company)
                target = node(id, label, kind, t.firstSeen)
                targetIndex[key] = target
            }
            let site: Int
            if let known = siteIndex[t.firstPartySite] {
                site = known
            } else {
                let prefix = originKind == .device ? "device:" : "site:"
                site = node(prefix + t.firstPartySite, t.firstPartySite, originKind, t.firstSeen)
                siteIndex[t.firstPartySite] = site
            }
            nodes[site].add(t, peer: target)
            nodes[target].add(t, peer: site)
            let pair = site << 32 | target
            if let known = edgeIndex[pair] {
                edges[known].add(t)
            } else {
                edgeIndex[pair] = edges.count
                edges.append(EdgeTally(source: site, target: target))
                edges[edges.count - 1].add(t)
            }
        }

        // Filter third parties first, then drop sites left without an edge and recount `sites`.
        let kept = nodes.map { $0.kind.isOrigin || $0.peers.count >= minSites }
        let keptEdges = edges.filter { kept[$0.target] }
        var degree = [Int](repeating: 0, count: nodes.count)
        for edge in keptEdges { degree[edge.source] += 1 }

        let graphNodes = nodes.indices.compactMap { i -> SiteGraph.Node? in
            let t = nodes[i]
            let sites = t.kind.isOrigin ? degree[i] : t.peers.count
            guard kept[i], sites > 0 else { return nil }
            return SiteGraph.Node(
                id: t.id, label: t.label, kind: t.kind, company: t.company, categories: t.categories.sorted(),
                firstSeen: t.firstSeen, lastSeen: t.lastSeen, requests: t.requests, sites: sites,
                setsCookies: t.setsCookies, sendsCookies: t.sendsCookies)
        }
        let graphEdges = keptEdges.map {
            SiteGraph.Edge(
                source: nodes[$0.source].id, target: nodes[$0.target].id, requests: $0.requests,
                daysSeen: $0.days.count, cookies: $0.cookieNames.count, tracker: $0.tracker,
                inferredRequests: $0.inferredRequests)
        }
        return SiteGraph(nodes: graphNodes, edges: graphEdges)
    }

    private func thirdParty(of host: String, company: String?) -> (String, String, SiteGraph.NodeKind) {
        // An IP address or a bare suffix has no registrable domain: it stands for itself.
        let domain = siteOf(host) ?? host
        switch grouping {
        case .host: return ("third:" + host, host, .thirdParty)
        case .domain: return ("third:" + domain, domain, .thirdParty)
        case .company:
            if let company, !company.isEmpty { return ("company:" + company, company, .company) }
            return ("third:" + domain, domain, .thirdParty)
        }
    }
}
