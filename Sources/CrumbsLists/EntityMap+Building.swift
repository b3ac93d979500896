extension EntityMap {
    /// Merges parsed lists into one map. The order of `contributions` does not matter: facts are
    /// applied by `EntityListSource` precedence (curated, Disconnect, DuckDuckGo, Disconnect
    /// snapshot, Lightbeam, Privacy Badger).
    ///
    /// * **Owner** of a domain: the first list by precedence that names one. Company names are
    ///   unified across lists (`CompanyName.key`, plus the other names in the curated entities
    ///   file) and shown in the spelling of the highest-precedence list that names the company.
    /// * **Categories**: the union over every list that has the domain; `other` is dropped once
    ///   a specific category is known.
    /// * With `publicSuffixes`, listed domains that are private-section public suffixes (hosting
    ///   platforms such as `cloudfront.net`, `blogspot.com`) are marked, so that their tenants are
    ///   not taken for the platform's owner (`EntityMatch.onSharedHosting`).
    /// * A listed host without an owner (a Privacy Badger widget host such as `www.facebook.com`)
    ///   takes the owner of its nearest listed parent; one without categories takes the parent's
    ///   categories, so a more specific entry never knows less than its parent.
    public init(_ contributions: [EntityListContribution], publicSuffixes: PublicSuffixList? = nil) {
        let ordered = contributions.enumerated()
            .sorted { ($0.element.source, $0.offset) < ($1.element.source, $1.offset) }
            .map(\.element)
        var builder = EntityMapBuilder(aliases: ordered)
        for contribution in ordered { builder.add(contribution) }
        self = builder.finish(publicSuffixes: publicSuffixes)
    }

    /// An empty map: knows no host.
    public static let empty = EntityMap([])
}

/// Collects facts per domain, then freezes them into the lookup table.
private struct EntityMapBuilder {
    struct Pending {
        var owner: Int32 = -1
        var ownerSource: EntityListSource?
        var categories = TrackerCategorySet()
        var categorySources: [EntityListSource] = []
        var prevalence: Double?
        var widgets: [String] = []
        /// Sources already counted as conflicting for this domain, so a list is counted once.
        var conflictingSources: [EntityListSource] = []
    }

    /// Company key → the display name other names lead to.
    private var aliasTargets: [String: String] = [:]
    /// Key → display name of every alias target: the curated spelling of a company is shown even
    /// when a later list names it first (`Microsoft Corporation` is shown as `Microsoft`).
    private var preferredNames: [String: String] = [:]
    private var companyIDs: [String: Int32] = [:]
    private var companyNames: [String] = []
    private var pending: [String: Pending] = [:]
    private var summary = EntityMap.Summary()
    private static let conflictSampleLimit = 50

    /// Other names are gathered before any fact so that a name seen early (DuckDuckGo's
    /// `Facebook`) already resolves to its target (`Meta`).
    init(aliases contributions: [EntityListContribution]) {
        for contribution in contributions {
            for (alias, target) in contribution.companyAliases.sorted(by: { $0.key < $1.key }) {
                let key = CompanyName.key(alias)
                if aliasTargets[key] == nil { aliasTargets[key] = target }
                let targetKey = CompanyName.key(target)
                if preferredNames[targetKey] == nil { preferredNames[targetKey] = target }
            }
        }
    }

    private mutating func companyID(_ name: String) -> Int32 {
        var display = name
        var key = CompanyName.key(name)
        if let target = aliasTargets[key] {
            display = target
            key = CompanyName.key(target)
        }
        if let id = companyIDs[key] { return id }
        let id = Int32(companyNames.count)
        companyIDs[key] = id
        companyNames.append(preferredNames[key] ?? display)
        return id
    }

    mutating func add(_ contribution: EntityListContribution) {
        let source = contribution.source
        summary.factsBySource[source, default: 0] += contribution.facts.count
        for fact in contribution.facts {
            var entry = pending[fact.domain] ?? Pending()
            if let company = fact.company {
                let id = companyID(company)
                if entry.owner < 0 {
                    entry.owner = id
                    entry.ownerSource = source
                } else if entry.owner != id, !entry.conflictingSources.contains(source) {
                    entry.conflictingSources.append(source)
                    noteConflict(domain: fact.domain, entry: entry, other: id, source: source)
                }
            }
            if !fact.categories.isEmpty {
                entry.categories.formUnion(fact.categories)
                if !entry.categorySources.contains(source) { entry.categorySources.append(source) }
            }
            if entry.prevalence == nil { entry.prevalence = fact.prevalence }
            if let widget = fact.widget, !entry.widgets.contains(widget) { entry.widgets.append(widget) }
            pending[fact.domain] = entry
        }
    }

    private mutating func noteConflict(domain: String, entry: Pending, other: Int32, source: EntityListSource) {
        if entry.conflictingSources.count == 1 { summary.ownerConflicts += 1 }
        guard summary.conflictSamples.count < Self.conflictSampleLimit, let keptSource = entry.ownerSource else {
            return
        }
        summary.conflictSamples.append(
            EntityMap.OwnerConflict(
                domain: domain, kept: companyNames[Int(entry.owner)], keptSource: keptSource,
                other: companyNames[Int(other)], otherSource: source))
    }

    /// The nearest listed parent of `domain` (not itself) that satisfies `want`.
    private func nearestParent(of domain: String, where want: (Pending) -> Bool) -> Pending? {
        var rest = Substring(domain)
        while let dot = rest.firstIndex(of: ".") {
            rest = rest[rest.index(after: dot)...]
            if let parent = pending[String(rest)], want(parent) { return parent }
        }
        return nil
    }

    mutating func finish(publicSuffixes: PublicSuffixList?) -> EntityMap {
        var table = DomainTable()
        var matches: [EntityMatch] = []
        var ownerIDs: [Int32] = []
        var sharedHosting: [Bool] = []
        matches.reserveCapacity(pending.count)
        for domain in pending.keys.sorted() {
            var entry = pending[domain]!
            if entry.owner < 0, let parent = nearestParent(of: domain, where: { $0.owner >= 0 }) {
                entry.owner = parent.owner
                entry.ownerSource = parent.ownerSource
            }
            if entry.categories.isEmpty, let parent = nearestParent(of: domain, where: { !$0.categories.isEmpty }) {
                entry.categories = parent.categories
                entry.categorySources = parent.categorySources
            }
            if let source = entry.ownerSource { summary.ownersBySource[source, default: 0] += 1 }
            table.insert(domain, value: Int32(matches.count))
            ownerIDs.append(entry.owner)
            sharedHosting.append(publicSuffixes.map { Self.isSharedHostingSuffix(domain, in: $0) } ?? false)
            matches.append(
                EntityMatch(
                    domain: domain, company: entry.owner >= 0 ? companyNames[Int(entry.owner)] : nil,
                    ownerSource: entry.ownerSource, categories: entry.categories.withoutRedundantOther,
                    categorySources: entry.categorySources.sorted(), prevalence: entry.prevalence,
                    widgets: entry.widgets, onSharedHosting: false))
        }
        summary.domains = matches.count
        summary.companies = Set(ownerIDs.filter { $0 >= 0 }).count
        var companiesByKey = companyIDs
        for (alias, target) in aliasTargets {
            if let id = companyIDs[CompanyName.key(target)], companiesByKey[alias] == nil { companiesByKey[alias] = id }
        }
        return EntityMap(
            table: table, matches: matches, ownerIDs: ownerIDs, companyNames: companyNames,
            companiesByKey: companiesByKey, isSharedHostingSuffix: sharedHosting, summary: summary)
    }

    /// A private-section suffix is a platform whose customers each get their own site; ICANN
    /// suffixes that a company owns outright (the `.google` brand TLD) are not.
    private static func isSharedHostingSuffix(_ domain: String, in list: PublicSuffixList) -> Bool {
        guard let match = list.match(domain) else { return false }
        return match.publicSuffix == domain && match.section == .private
    }
}
