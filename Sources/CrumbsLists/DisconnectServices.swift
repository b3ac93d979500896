import Foundation

/// Disconnect's `services.json`: category → company → company URL → domains (README §2.1).
///
/// ```json
/// {"categories": {"Analytics": [{"ContentSquare": {"https://contentsquare.com/": ["hotjar.com"],
///                                                 "session-replay": "true"}}]}}
/// ```
/// A company may sit in several categories, each with its own domains; string values beside the
/// URL are flags (`"session-replay": "true"`). Entries that are URL paths (`yandex.ru/ads/`)
/// cannot be held by a domain map and are skipped as `pathEntry`.
public struct DisconnectServices: Sendable {
    /// One company's entry in one category.
    public struct Service: Sendable, Hashable {
        /// The category as spelled in the file (`FingerprintingInvasive`).
        public var category: String
        public var company: String
        /// The company URL key (`http://www.google.com/`), when there is one.
        public var url: String?
        /// Normalised domains, in file order.
        public var domains: [String]
        /// String flags such as `session-replay`, `performance`, `dnt`.
        public var flags: [String: String]

        public var isSessionReplay: Bool { flags["session-replay"] == "true" }

        /// The Crumbs categories this entry gives its domains.
        public var categories: TrackerCategorySet {
            var set = TrackerCategorySet()
            set.insert(TrackerCategory.fromDisconnect(category) ?? .other)
            if isSessionReplay { set.insert(.sessionReplay) }
            return set
        }
    }

    public static let listName = "Disconnect services.json"

    public let source: EntityListSource
    /// Every (category, company) entry, categories in name order, companies in file order.
    public let services: [Service]
    public let report: EntityListReport

    /// Reads `services.json`; `source` tells a current list from a GPL-era snapshot.
    public init(contentsOf url: URL, source: EntityListSource = .disconnect) throws(EntityListError) {
        let json = try JSONListFile.read(url, list: Self.listName)
        try self.init(json: json, source: source, path: url.path)
    }

    /// Parses the bytes of a `services.json` (fixtures, downloads in memory).
    public init(data: Data, source: EntityListSource = .disconnect, path: String = "<data>") throws(EntityListError) {
        let json = try JSONListFile.parse(data, list: Self.listName, path: path)
        try self.init(json: json, source: source, path: path)
    }

    private init(json: Any, source: EntityListSource, path: String) throws(EntityListError) {
        let top = try JSONListFile.object(json, list: Self.listName, path: path)
        guard let categories = top["categories"] as? [String: Any] else {
            throw EntityListError(.unexpectedShape, list: Self.listName, path: path, detail: "no \"categories\" object")
        }
        var report = EntityListReport(list: Self.listName, path: path == "<data>" ? nil : path)
        var services: [Service] = []
        for category in JSONListFile.sortedKeys(categories) {
            if TrackerCategory.fromDisconnect(category) == nil { report.noteUnknownCategory(category) }
            guard let entries = categories[category] as? [Any] else {
                report.skip(.wrongType, at: category, "category is not a list")
                continue
            }
            for entry in entries {
                guard let companies = entry as? [String: Any] else {
                    report.skip(.wrongType, at: category, "entry is not an object")
                    continue
                }
                for company in JSONListFile.sortedKeys(companies) {
                    if let service = Self.service(
                        category: category, company: company, value: companies[company]!, report: &report)
                    {
                        services.append(service)
                    }
                }
            }
        }
        self.source = source
        self.services = services
        self.report = report
    }

    private static func service(
        category: String, company rawCompany: String, value: Any, report: inout EntityListReport
    ) -> Service? {
        let location = "\(category)/\(rawCompany)"
        let company = rawCompany.trimmingCharacters(in: .whitespaces)
        guard !company.isEmpty else {
            report.skip(.missingName, at: category, rawCompany)
            return nil
        }
        guard let body = value as? [String: Any] else {
            report.skip(.wrongType, at: location, "company value is not an object")
            return nil
        }
        var service = Service(category: category, company: company, url: nil, domains: [], flags: [:])
        var seen = Set<String>()
        for key in JSONListFile.sortedKeys(body) {
            switch body[key] {
            case let flag as String:
                service.flags[key] = flag
            case let list as [Any]:
                service.url = service.url ?? key
                for item in list {
                    guard let raw = item as? String else {
                        report.skip(.wrongType, at: location, "domain is not a string")
                        continue
                    }
                    if raw.contains("/") {
                        report.skip(.pathEntry, at: location, raw)
                    } else if let domain = ListDomain.normalize(raw) {
                        if seen.insert(domain).inserted {
                            service.domains.append(domain)
                            report.kept += 1
                        } else {
                            report.skip(.duplicateDomain, at: location, raw)
                        }
                    } else {
                        report.skip(.invalidDomain, at: location, raw)
                    }
                }
            default:
                report.skip(.wrongType, at: location, "value of \(key) is neither a domain list nor a flag")
            }
        }
        return service
    }

    /// Category names as spelled in the file, sorted.
    public var categoryNames: [String] { Array(Set(services.map(\.category))).sorted() }

    /// Distinct companies across all categories.
    public var companies: Set<String> { Set(services.map(\.company)) }

    /// Distinct domains across all categories.
    public var domains: Set<String> { Set(services.flatMap(\.domains)) }

    /// Companies and distinct domains listed under `category` (file spelling).
    public func counts(in category: String) -> (companies: Int, domains: Int) {
        let entries = services.filter { $0.category == category }
        return (Set(entries.map(\.company)).count, Set(entries.flatMap(\.domains)).count)
    }

    /// One fact per (entry, domain); the map unites the categories of a domain listed twice.
    public var contribution: EntityListContribution {
        let facts = services.flatMap { service in
            let categories = service.categories
            return service.domains.map { DomainFact(domain: $0, company: service.company, categories: categories) }
        }
        return EntityListContribution(source: source, facts: facts)
    }
}
