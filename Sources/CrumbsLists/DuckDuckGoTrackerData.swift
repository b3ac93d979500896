import Foundation

/// DuckDuckGo's Tracker Data Set, `extension-tds.json` (README §2.5): `trackers` (domain →
/// owner, prevalence, categories, rules), `entities` (company → domains, display name) and
/// `domains` (domain → company). The per-tracker regex `rules` and `cnames` are not read: this
/// type names owners and categories; URL matching is the filter engine's job.
///
/// Owners roll up through `owner.ownedBy` (`Google Ads` → `Google LLC`, shown as `Google`), the
/// way Disconnect names the parent, so both lists can agree on `sameOwner`.
public struct DuckDuckGoTrackerData: Sendable {
    /// The `owner` object of a tracker.
    public struct Owner: Sendable, Hashable {
        public var name: String
        public var displayName: String?
        /// The parent company's entity name, when the owner is a subsidiary or a product.
        public var ownedBy: String?
    }

    /// One `trackers` entry.
    public struct Tracker: Sendable, Hashable {
        public var domain: String
        public var owner: Owner?
        /// Share of sites that load it (0…1).
        public var prevalence: Double?
        /// DuckDuckGo's fingerprinting score, 0 (none) to 3 (excessive).
        public var fingerprinting: Int?
        /// `block` or `ignore`: whether DuckDuckGo blocks it by default.
        public var defaultAction: String?
        /// The category names as spelled in the file.
        public var categories: [String]
    }

    /// One `entities` entry.
    public struct Entity: Sendable, Hashable {
        public var name: String
        public var displayName: String?
        public var prevalence: Double?
        public var domains: [String]
    }

    public static let listName = "DuckDuckGo extension-tds.json"

    public let trackers: [String: Tracker]
    public let entities: [String: Entity]
    /// Domain → entity name.
    public let domains: [String: String]
    public let report: EntityListReport

    public init(contentsOf url: URL) throws(EntityListError) {
        let json = try JSONListFile.read(url, list: Self.listName)
        try self.init(json: json, path: url.path)
    }

    public init(data: Data, path: String = "<data>") throws(EntityListError) {
        let json = try JSONListFile.parse(data, list: Self.listName, path: path)
        try self.init(json: json, path: path)
    }

    private init(json: Any, path: String) throws(EntityListError) {
        let top = try JSONListFile.object(json, list: Self.listName, path: path)
        guard let trackerObjects = top["trackers"] as? [String: Any] else {
            throw EntityListError(.unexpectedShape, list: Self.listName, path: path, detail: "no \"trackers\" object")
        }
        var report = EntityListReport(list: Self.listName, path: path == "<data>" ? nil : path)
        var trackers: [String: Tracker] = [:]
        for key in JSONListFile.sortedKeys(trackerObjects) {
            guard let fields = trackerObjects[key] as? [String: Any] else {
                report.skip(.wrongType, at: "trackers", "\(key): not an object")
                continue
            }
            guard let domain = ListDomain.normalize(key) else {
                report.skip(.invalidDomain, at: "trackers", key)
                continue
            }
            guard trackers[domain] == nil else {
                report.skip(.duplicateDomain, at: "trackers", key)
                continue
            }
            let categories = (fields["categories"] as? [Any])?.compactMap { $0 as? String } ?? []
            for name in categories where TrackerCategory.fromDuckDuckGo(name) == nil {
                report.noteUnknownCategory(name)
            }
            trackers[domain] = Tracker(
                domain: domain, owner: Self.owner(fields["owner"]), prevalence: Self.number(fields["prevalence"]),
                fingerprinting: Self.integer(fields["fingerprinting"]),
                defaultAction: fields["default"] as? String, categories: categories)
            report.kept += 1
        }
        var entities: [String: Entity] = [:]
        for (name, value) in top["entities"] as? [String: Any] ?? [:] {
            guard let fields = value as? [String: Any] else {
                report.skip(.wrongType, at: "entities", "\(name): not an object")
                continue
            }
            let listed = (fields["domains"] as? [Any])?.compactMap { ($0 as? String).flatMap(ListDomain.normalize) }
            entities[name] = Entity(
                name: name, displayName: fields["displayName"] as? String,
                prevalence: Self.number(fields["prevalence"]),
                domains: listed ?? [])
        }
        var domains: [String: String] = [:]
        for (key, value) in top["domains"] as? [String: Any] ?? [:] {
            guard let entity = value as? String, !entity.isEmpty else {
                report.skip(.missingName, at: "domains", key)
                continue
            }
            guard let domain = ListDomain.normalize(key) else {
                report.skip(.invalidDomain, at: "domains", key)
                continue
            }
            domains[domain] = entity
        }
        self.trackers = trackers
        self.entities = entities
        self.domains = domains
        self.report = report
    }

    private static func owner(_ value: Any?) -> Owner? {
        guard let fields = value as? [String: Any], let name = fields["name"] as? String, !name.isEmpty else {
            return nil
        }
        return Owner(name: name, displayName: fields["displayName"] as? String, ownedBy: fields["ownedBy"] as? String)
    }

    /// JSON numbers come back as `NSNumber` (or `Int`/`Double` when bridged): accept all of them.
    /// A whole number the file gives as a JSON number; nil when it does not fit an `Int` (found
    /// by scripts/fuzz: `"fingerprinting": 3e26` trapped converting it).
    private static func integer(_ value: Any?) -> Int? {
        guard let number = number(value), number.isFinite, abs(number) < 0x1p62 else { return nil }
        return Int(number)
    }

    private static func number(_ value: Any?) -> Double? {
        switch value {
        case let double as Double: double
        case let int as Int: Double(int)
        case let number as NSNumber: number.doubleValue
        default: nil
        }
    }

    /// Entity name → parent entity name, from every tracker owner that says `ownedBy`.
    public var parents: [String: String] {
        var parents: [String: String] = [:]
        for tracker in trackers.values {
            if let owner = tracker.owner, let parent = owner.ownedBy, parent != owner.name {
                parents[owner.name] = parent
            }
        }
        return parents
    }

    /// The company to show for entity `name`: its top parent's display name.
    public func company(ofEntity name: String) -> String {
        company(ofEntity: name, parents: parents)
    }

    private func company(ofEntity name: String, parents: [String: String]) -> String {
        var top = name
        // Follow at most a few levels: a cycle in hand-edited data must not hang the loader.
        for _ in 0..<4 {
            guard let parent = parents[top] else { break }
            top = parent
        }
        return entities[top]?.displayName ?? top
    }

    /// Trackers give owner, categories and prevalence; `domains` gives ownership of the rest.
    /// A blocked tracker with no category DuckDuckGo spells out is still a tracker: `.other`.
    public var contribution: EntityListContribution {
        let parents = parents
        var facts: [DomainFact] = []
        facts.reserveCapacity(trackers.count + domains.count)
        for tracker in trackers.values.sorted(by: { $0.domain < $1.domain }) {
            var categories = TrackerCategorySet(tracker.categories.map { TrackerCategory.fromDuckDuckGo($0) ?? .other })
            if categories.isEmpty, tracker.defaultAction == "block" { categories.insert(.other) }
            facts.append(
                DomainFact(
                    domain: tracker.domain, company: tracker.owner.map { company(ofEntity: $0.name, parents: parents) },
                    categories: categories.withoutRedundantOther, prevalence: tracker.prevalence))
        }
        for (domain, entity) in domains.sorted(by: { $0.key < $1.key }) {
            facts.append(DomainFact(domain: domain, company: company(ofEntity: entity, parents: parents)))
        }
        return EntityListContribution(source: .duckDuckGo, facts: facts)
    }
}
