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

/// Builds a `SiteGraph` from classified events.
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

    /// Running totals for one node or edge while events stream by.
    private struct Tally {
        var label: String
        var kind: SiteGraph.NodeKind
        var firstSeen: Date
        var lastSeen: Date
        var requests = 0
        var peers: Set<String> = []
        var companies: [String: Int] = [:]
        var categories: Set<String> = []
        var setsCookies = false
        var sendsCookies = false
        var days: Set<Int> = []
        var cookieNames: Set<String> = []
        var tracker = false

        init(label: String, kind: SiteGraph.NodeKind, time: Date) {
            self.label = label
            self.kind = kind
            firstSeen = time
            lastSeen = time
        }

        mutating func add(_ event: RequestEvent, _ c: Classification, peer: String, day: Int) {
            firstSeen = min(firstSeen, event.time)
            lastSeen = max(lastSeen, event.time)
            requests += 1
            peers.insert(peer)
            if let company = c.company { companies[company, default: 0] += 1 }
            categories.formUnion(c.categories)
            setsCookies = setsCookies || !event.cookiesSet.isEmpty
            sendsCookies = sendsCookies || !event.cookiesSent.isEmpty
            days.insert(day)
            cookieNames.formUnion(event.cookiesSent.map(\.name))
            cookieNames.formUnion(event.cookiesSet.map(\.name))
            tracker = tracker || c.isTracker
        }

        /// Most frequent company; ties go to the smallest name so output is deterministic.
        var company: String? {
            companies.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key
        }
    }

    /// Groups the events into a graph, then applies `minSites`.
    public func build(_ events: [RequestEvent]) -> SiteGraph {
        var nodes: [String: Tally] = [:]
        var edges: [String: (source: String, target: String, tally: Tally)] = [:]
        let wanted = category?.lowercased()

        for event in events {
            guard let c = event.classification, c.isThirdParty, let site = c.firstPartySite, !site.isEmpty
            else { continue }
            if let wanted, !c.categories.contains(where: { $0.lowercased() == wanted }) { continue }
            let (targetID, targetLabel, targetKind) = thirdParty(of: event.host.lowercased(), company: c.company)
            let siteID = "site:" + site
            let day = dayNumber(event.time)
            nodes[siteID, default: Tally(label: site, kind: .firstParty, time: event.time)]
                .add(event, c, peer: targetID, day: day)
            nodes[targetID, default: Tally(label: targetLabel, kind: targetKind, time: event.time)]
                .add(event, c, peer: siteID, day: day)
            let key = siteID + "\n" + targetID  // "\n" never occurs in an id built from a host.
            edges[key, default: (siteID, targetID, Tally(label: "", kind: .thirdParty, time: event.time))]
                .tally.add(event, c, peer: "", day: day)
        }

        // Filter third parties first, then drop sites left without an edge and recount `sites`.
        let keptTargets = Set(nodes.filter { $0.value.kind != .firstParty && $0.value.peers.count >= minSites }.keys)
        let keptEdges = edges.values.filter { keptTargets.contains($0.target) }
        var degree: [String: Int] = [:]
        for edge in keptEdges { degree[edge.source, default: 0] += 1 }

        let graphNodes = nodes.compactMap { id, t -> SiteGraph.Node? in
            let sites: Int
            if t.kind == .firstParty {
                guard let d = degree[id] else { return nil }
                sites = d
            } else {
                guard keptTargets.contains(id) else { return nil }
                sites = t.peers.count
            }
            // A first party's own company is not known here: its events name the third party's.
            return SiteGraph.Node(
                id: id, label: t.label, kind: t.kind, company: t.kind == .firstParty ? nil : t.company,
                categories: t.categories.sorted(), firstSeen: t.firstSeen, lastSeen: t.lastSeen,
                requests: t.requests, sites: sites, setsCookies: t.setsCookies, sendsCookies: t.sendsCookies)
        }
        let graphEdges = keptEdges.map {
            SiteGraph.Edge(
                source: $0.source, target: $0.target, requests: $0.tally.requests,
                daysSeen: $0.tally.days.count, cookies: $0.tally.cookieNames.count, tracker: $0.tally.tracker)
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

    private func dayNumber(_ date: Date) -> Int {
        let local = date.timeIntervalSince1970 + Double(timeZone.secondsFromGMT(for: date))
        return Int((local / 86_400).rounded(.down))
    }
}
