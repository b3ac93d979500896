import Foundation

/// Disconnect's entity list: company → `properties` (its own sites) and `resources` (domains it
/// serves from). README §2.2–2.4.
///
/// Two top-level forms exist and both are read:
/// * wrapped, Disconnect's current `entities.json`: `{"license": "…", "entities": {name: {…}}}`;
/// * bare, the GPL 2020 snapshot and Lightbeam's `disconnect-entitylist.json`: `{name: {…}}`.
///
/// A domain claimed by two entities keeps the first in name order (Disconnect's own lists have
/// none; the check guards hand-edited copies). Names are the list's own, already rolled up to
/// the parent company (`linkedin.com` → Microsoft).
public struct DisconnectEntities: Sendable {
    /// Which top-level form the file had.
    public enum Form: String, Sendable, Hashable {
        case wrapped
        case bare
    }

    /// One company with its domains, normalised, in file order.
    public struct Entity: Sendable, Hashable {
        public var name: String
        public var properties: [String]
        public var resources: [String]
    }

    public let source: EntityListSource
    public let form: Form
    /// The `license` field of the wrapped form.
    public let license: String?
    /// Sorted by name.
    public let entities: [Entity]
    public let report: EntityListReport

    /// The list's human name for reports and errors, by source.
    public static func listName(for source: EntityListSource) -> String {
        source == .lightbeam ? "Lightbeam disconnect-entitylist.json" : "Disconnect entities.json"
    }

    /// Reads an entity list file in either form. `source` says which list it is (current
    /// Disconnect, a GPL snapshot, or Lightbeam's copy) and so its precedence.
    public init(contentsOf url: URL, source: EntityListSource = .disconnect) throws(EntityListError) {
        let json = try JSONListFile.read(url, list: Self.listName(for: source))
        try self.init(json: json, source: source, path: url.path)
    }

    public init(data: Data, source: EntityListSource = .disconnect, path: String = "<data>") throws(EntityListError) {
        let json = try JSONListFile.parse(data, list: Self.listName(for: source), path: path)
        try self.init(json: json, source: source, path: path)
    }

    private init(json: Any, source: EntityListSource, path: String) throws(EntityListError) {
        let list = Self.listName(for: source)
        let top = try JSONListFile.object(json, list: list, path: path)
        let body: [String: Any]
        if let wrapped = top["entities"] as? [String: Any] {
            form = .wrapped
            license = top["license"] as? String
            body = wrapped
        } else if top.isEmpty || top.values.contains(where: { Self.looksLikeEntity($0) }) {
            form = .bare
            license = nil
            body = top
        } else {
            throw EntityListError(
                .unexpectedShape, list: list, path: path,
                detail: "neither {\"entities\": {…}} nor {name: {properties, resources}}")
        }
        var report = EntityListReport(list: list, path: path == "<data>" ? nil : path)
        var owner: [String: String] = [:]
        var entities: [Entity] = []
        for rawName in JSONListFile.sortedKeys(body) {
            let name = rawName.trimmingCharacters(in: .whitespaces)
            guard !name.isEmpty else {
                report.skip(.missingName, at: "entities", rawName)
                continue
            }
            guard let fields = body[rawName] as? [String: Any] else {
                report.skip(.wrongType, at: name, "entity is not an object")
                continue
            }
            var entity = Entity(name: name, properties: [], resources: [])
            entity.properties = Self.domains(
                fields["properties"], field: "properties", of: name, owner: &owner, &report)
            entity.resources = Self.domains(fields["resources"], field: "resources", of: name, owner: &owner, &report)
            entities.append(entity)
        }
        self.source = source
        self.entities = entities
        self.report = report
    }

    private static func looksLikeEntity(_ value: Any) -> Bool {
        guard let fields = value as? [String: Any] else { return false }
        return fields["properties"] != nil || fields["resources"] != nil
    }

    /// The valid domains of one field. A domain already owned by another entity is skipped; one
    /// listed as both property and resource of the same entity is kept in both (Lightbeam does
    /// that for most of its entities).
    private static func domains(
        _ value: Any?, field: String, of name: String, owner: inout [String: String],
        _ report: inout EntityListReport
    ) -> [String] {
        guard let value else { return [] }
        guard let list = value as? [Any] else {
            report.skip(.wrongType, at: "\(name)/\(field)", "not a list")
            return []
        }
        var kept: [String] = []
        for item in list {
            guard let raw = item as? String else {
                report.skip(.wrongType, at: "\(name)/\(field)", "domain is not a string")
                continue
            }
            guard let domain = ListDomain.normalize(raw) else {
                report.skip(.invalidDomain, at: "\(name)/\(field)", raw)
                continue
            }
            if let previous = owner[domain], previous != name {
                report.skip(.duplicateDomain, at: "\(name)/\(field)", "\(raw) (already \(previous))")
                continue
            }
            if owner[domain] == nil { report.kept += 1 }
            owner[domain] = name
            kept.append(domain)
        }
        return kept
    }

    /// Property entries over all entities (a domain in two entities' lists counted once each).
    public var propertyCount: Int { entities.reduce(0) { $0 + $1.properties.count } }
    public var resourceCount: Int { entities.reduce(0) { $0 + $1.resources.count } }
    /// Distinct domains over properties and resources.
    public var domains: Set<String> { Set(entities.flatMap { $0.properties + $0.resources }) }

    /// One ownership fact per distinct domain; entity lists carry no categories.
    public var contribution: EntityListContribution {
        var facts: [DomainFact] = []
        for entity in entities {
            var seen = Set<String>()
            for domain in entity.properties + entity.resources where seen.insert(domain).inserted {
                facts.append(DomainFact(domain: domain, company: entity.name))
            }
        }
        return EntityListContribution(source: source, facts: facts)
    }
}
