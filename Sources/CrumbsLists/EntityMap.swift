/// What the lists know about one host: the company that owns it and what it does.
public struct EntityMatch: Sendable, Hashable {
    /// The listed domain that matched: the host itself or the nearest parent in a list.
    public var domain: String
    /// The owning company's display name, rolled up to the parent (`doubleclick.net` → Google);
    /// nil when only a category list knows the host.
    public var company: String?
    /// The list the owner was taken from (the first by precedence that names one).
    public var ownerSource: EntityListSource?
    /// The union over all lists, mapped to Crumbs' categories.
    public var categories: TrackerCategorySet
    /// The lists that gave categories, by precedence.
    public var categorySources: [EntityListSource]
    /// DuckDuckGo's prevalence: share of sites that load the domain (0…1).
    public var prevalence: Double?
    /// Privacy Badger widgets served from this host.
    public var widgets: [String]
    /// The host is a tenant below a shared-hosting suffix from the PSL's private section
    /// (`x.cloudfront.net`, `me.blogspot.com`): `company` runs the platform, the tenant is unknown,
    /// so `sameOwner` does not use this match. Only set when the map was built with a PSL.
    public var onSharedHosting: Bool
}

/// The merged company (entity) and category map: for a request host, who owns it, which list
/// says so, what it does, and whether two hosts belong to the same company.
///
/// Built once from parsed lists (`EntityMap(_:)`, `EntityMap+Building.swift`), then read-only
/// and `Sendable`, so it can be shared by the recorder without locks. A lookup walks up the
/// host's labels (`a.b.doubleclick.net` → `b.doubleclick.net` → `doubleclick.net`) through a
/// suffix hash table and returns the most specific listed domain; it allocates nothing for
/// lower-case ASCII hosts.
public struct EntityMap: Sendable {
    /// What building the map kept, and where the lists disagreed on owners.
    public struct Summary: Sendable, Hashable {
        /// Distinct listed domains.
        public var domains = 0
        /// Distinct companies after names were unified.
        public var companies = 0
        /// Facts read per source.
        public var factsBySource: [EntityListSource: Int] = [:]
        /// Domains whose owner was taken from each source.
        public var ownersBySource: [EntityListSource: Int] = [:]
        /// Domains for which a later list named a different company than the one kept.
        public var ownerConflicts = 0
        /// The first few of those conflicts.
        public var conflictSamples: [OwnerConflict] = []
    }

    /// A list naming another company for a domain than the one kept.
    public struct OwnerConflict: Sendable, Hashable {
        public var domain: String
        public var kept: String
        public var keptSource: EntityListSource
        public var other: String
        public var otherSource: EntityListSource
    }

    let table: DomainTable
    /// Indexed by the table's values.
    let matches: [EntityMatch]
    /// The company id of each match (index into `companyNames`), or -1.
    let ownerIDs: [Int32]
    let companyNames: [String]
    /// `CompanyName.key` of every name and other name → index into `companyNames`.
    let companiesByKey: [String: Int32]
    /// Whether each match's domain is a private-section public suffix (a hosting platform).
    let isSharedHostingSuffix: [Bool]
    public let summary: Summary

    /// Everything known about `host`, or nil when no list has it or a parent of it.
    /// `host` may be in any case, Unicode or ACE, with or without a trailing dot.
    public func lookup(_ host: String) -> EntityMatch? {
        guard let (index, below) = entryIndex(host) else { return nil }
        var match = matches[Int(index)]
        if below && isSharedHostingSuffix[Int(index)] { match.onSharedHosting = true }
        return match
    }

    /// The owning company's display name.
    public func company(of host: String) -> String? {
        lookup(host)?.company
    }

    /// The categories of `host`; empty when unknown.
    public func categories(of host: String) -> TrackerCategorySet {
        guard let (index, _) = entryIndex(host) else { return [] }
        return matches[Int(index)].categories
    }

    /// Whether the same company owns both hosts (or sites): `fbcdn.net` and `facebook.com` are
    /// both Meta's. False when either owner is unknown, unless the two names are the same host:
    /// for unknown hosts the caller's site comparison (PSL) decides first- or third-party.
    public func sameOwner(_ a: String, _ b: String) -> Bool {
        if let first = ownerID(of: a), let second = ownerID(of: b) { return first == second }
        return Self.plain(a) == Self.plain(b)
    }

    /// The display names of the companies that own at least one listed domain, sorted.
    public var companies: [String] {
        Set(ownerIDs.filter { $0 >= 0 }).map { companyNames[Int($0)] }.sorted()
    }

    /// Listed domains whose owner is `company` (display name or any spelling that unifies with it).
    public func domains(ownedBy company: String) -> [String] {
        guard let id = companiesByKey[CompanyName.key(company)] else { return [] }
        return zip(matches, ownerIDs).filter { $0.1 == id }.map(\.0.domain).sorted()
    }

    private func ownerID(of host: String) -> Int32? {
        guard let (index, below) = entryIndex(host), !(below && isSharedHostingSuffix[Int(index)]) else { return nil }
        let id = ownerIDs[Int(index)]
        return id >= 0 ? id : nil
    }

    private static func plain(_ host: String) -> String {
        let lower = host.lowercased()
        return lower.hasSuffix(".") ? String(lower.dropLast()) : lower
    }

    /// Normalises `host` the way the PSL does and walks the table. `below` is true when the
    /// match is a parent of the host rather than the host itself.
    private func entryIndex(_ host: String) -> (index: Int32, below: Bool)? {
        var host = host
        // Most hosts are lower-case ASCII already: walk their bytes in place.
        let step = host.withUTF8 { bytes -> Step in
            switch HostName.scan(bytes) {
            case .invalid: return .done(nil)
            case .needsLowercasing: return .lowercase
            case .needsNormalizing: return .normalize
            case .ready(let end): return .done(walk(UnsafeBufferPointer(rebasing: bytes[..<end])))
            }
        }
        switch step {
        case .done(let found):
            return found
        case .lowercase:
            // ASCII with capitals: lower-casing is all it needs, no IDNA pass.
            var lower = host.lowercased()
            return lower.withUTF8 { bytes in
                walk(UnsafeBufferPointer(rebasing: bytes[..<(bytes.last == 0x2E ? bytes.count - 1 : bytes.count)]))
            }
        case .normalize:
            guard let ace = HostName.normalize(host)?.ace else { return nil }
            return ace.withUnsafeBufferPointer { walk($0) }
        }
    }

    private func walk(_ host: UnsafeBufferPointer<UInt8>) -> (index: Int32, below: Bool)? {
        guard let index = table.longestMatch(host) else { return nil }
        return (index, host.count > matches[Int(index)].domain.utf8.count)
    }

    private enum Step {
        case done((index: Int32, below: Bool)?)
        case lowercase
        case normalize
    }
}
