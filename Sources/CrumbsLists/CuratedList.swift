import Foundation

/// The project's own list, `Blocklists/crumbs-trackers.tsv` plus `Blocklists/crumbs-entities.tsv`:
/// facts we vouch for, written from public knowledge, in a diff-friendly text form. It comes
/// first when lists disagree (see `EntityListSource`).
///
/// `crumbs-trackers.tsv`, one domain per line, tab-separated:
/// `domain<TAB>company<TAB>category[,category…]<TAB>note` (note optional).
///
/// `crumbs-entities.tsv`, the companies' own sites for same-owner decisions:
/// `company<TAB>domain,domain,…<TAB>other|names` (other names optional). A company may take
/// several lines; they add up.
///
/// In both, `#` starts a comment line and blank lines are ignored. Bad lines are skipped and
/// counted; see `Blocklists/SOURCES.md` for how to contribute.
public struct CuratedList: Sendable {
    /// One line of `crumbs-trackers.tsv`.
    public struct Tracker: Sendable, Hashable {
        public var domain: String
        public var company: String
        public var categories: TrackerCategorySet
        public var note: String?
        /// 1-based line in the file, for review tools.
        public var line: Int
    }

    /// A company of `crumbs-entities.tsv`, its lines merged.
    public struct Company: Sendable, Hashable {
        public var name: String
        public var domains: [String]
        /// Other spellings upstream lists use (`Facebook, Inc.` for Meta).
        public var aliases: [String]
    }

    public static let trackersListName = "Crumbs crumbs-trackers.tsv"
    public static let entitiesListName = "Crumbs crumbs-entities.tsv"

    /// In file order.
    public let trackers: [Tracker]
    /// In order of first appearance.
    public let companies: [Company]
    public let trackersReport: EntityListReport
    public let entitiesReport: EntityListReport

    /// Reads the two files; the entities file is optional.
    public init(trackersAt trackersURL: URL, entitiesAt entitiesURL: URL? = nil) throws(EntityListError) {
        let trackersText = try Self.read(trackersURL, list: Self.trackersListName)
        let entitiesText = try entitiesURL.map { url throws(EntityListError) in
            try Self.read(url, list: Self.entitiesListName)
        }
        self.init(
            trackersText: trackersText, entitiesText: entitiesText ?? "", trackersPath: trackersURL.path,
            entitiesPath: entitiesURL?.path)
    }

    /// Parses the two files' text.
    public init(
        trackersText: String, entitiesText: String = "", trackersPath: String? = nil, entitiesPath: String? = nil
    ) {
        (trackers, trackersReport) = Self.parseTrackers(trackersText, path: trackersPath)
        (companies, entitiesReport) = Self.parseEntities(entitiesText, path: entitiesPath)
    }

    private static func read(_ url: URL, list: String) throws(EntityListError) -> String {
        do {
            return String(decoding: try Data(contentsOf: url), as: UTF8.self)
        } catch {
            throw EntityListError(.unreadable, list: list, path: url.path, detail: JSONListFile.reason(error))
        }
    }

    /// Non-comment lines with their 1-based numbers, split on tabs, fields trimmed.
    static func records(_ text: String) -> [(line: Int, fields: [String])] {
        var records: [(Int, [String])] = []
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            records.append((index + 1, fields))
        }
        return records
    }

    private static func parseTrackers(_ text: String, path: String?) -> ([Tracker], EntityListReport) {
        var report = EntityListReport(list: trackersListName, path: path)
        var trackers: [Tracker] = []
        var seen = Set<String>()
        for (line, fields) in records(text) {
            let location = "line \(line)"
            let original = fields.joined(separator: "\t")
            guard fields.count >= 3, !fields[1].isEmpty, !fields[2].isEmpty else {
                report.skip(.malformedLine, at: location, original)
                continue
            }
            guard let domain = ListDomain.normalize(fields[0]) else {
                report.skip(.invalidDomain, at: location, fields[0])
                continue
            }
            var categories = TrackerCategorySet()
            var unknown: String?
            for name in fields[2].split(separator: ",") {
                let trimmed = name.trimmingCharacters(in: .whitespaces)
                if let category = TrackerCategory(name: trimmed) {
                    categories.insert(category)
                } else {
                    unknown = trimmed
                }
            }
            if let unknown {
                report.skip(.unknownCategory, at: location, unknown)
                continue
            }
            guard seen.insert(domain).inserted else {
                report.skip(.duplicateDomain, at: location, domain)
                continue
            }
            let note = fields.count > 3 ? fields[3...].joined(separator: " ") : ""
            trackers.append(
                Tracker(
                    domain: domain, company: fields[1], categories: categories, note: note.isEmpty ? nil : note,
                    line: line))
            report.kept += 1
        }
        return (trackers, report)
    }

    private static func parseEntities(_ text: String, path: String?) -> ([Company], EntityListReport) {
        var report = EntityListReport(list: entitiesListName, path: path)
        var companies: [Company] = []
        var position: [String: Int] = [:]
        var owner: [String: String] = [:]
        for (line, fields) in records(text) {
            let location = "line \(line)"
            guard fields.count >= 2, !fields[0].isEmpty, !fields[1].isEmpty else {
                report.skip(.malformedLine, at: location, fields.joined(separator: "\t"))
                continue
            }
            let name = fields[0]
            let index = position[name] ?? companies.count
            if index == companies.count {
                position[name] = index
                companies.append(Company(name: name, domains: [], aliases: []))
            }
            for raw in fields[1].split(separator: ",") {
                guard let domain = ListDomain.normalize(String(raw)) else {
                    report.skip(.invalidDomain, at: location, String(raw))
                    continue
                }
                if let previous = owner[domain] {
                    report.skip(.duplicateDomain, at: location, "\(domain) (already \(previous))")
                    continue
                }
                owner[domain] = name
                companies[index].domains.append(domain)
                report.kept += 1
            }
            if fields.count > 2 {
                let aliases = fields[2].split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                companies[index].aliases += aliases.filter { !$0.isEmpty && !companies[index].aliases.contains($0) }
            }
        }
        return (companies, report)
    }

    /// Domains that the two files give to different companies (after other names are resolved):
    /// should be empty; the tests keep it so.
    public var inconsistencies: [(domain: String, trackers: String, entities: String)] {
        let aliases = companyAliases
        func canonical(_ name: String) -> String { CompanyName.key(aliases[name] ?? name) }
        var owner: [String: String] = [:]
        for company in companies { for domain in company.domains { owner[domain] = company.name } }
        return trackers.compactMap { tracker in
            guard let other = owner[tracker.domain], canonical(other) != canonical(tracker.company) else { return nil }
            return (tracker.domain, tracker.company, other)
        }
    }

    /// Other name → the company's name, from the entities file's third column.
    public var companyAliases: [String: String] {
        var aliases: [String: String] = [:]
        for company in companies { for alias in company.aliases { aliases[alias] = company.name } }
        return aliases
    }

    /// Tracker lines first (they carry categories), then the entities' own sites.
    public var contribution: EntityListContribution {
        var facts = trackers.map { DomainFact(domain: $0.domain, company: $0.company, categories: $0.categories) }
        for company in companies {
            facts += company.domains.map { DomainFact(domain: $0, company: company.name) }
        }
        return EntityListContribution(source: .curated, facts: facts, companyAliases: companyAliases)
    }
}
