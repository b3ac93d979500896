/// Which list a fact about a domain came from. The declaration order is the precedence when
/// lists name different owners for the same domain: what we vouch for first, then the newest
/// and most careful list, down to the oldest.
public enum EntityListSource: String, Sendable, CaseIterable, Codable, Comparable, CustomStringConvertible {
    /// `Blocklists/crumbs-trackers.tsv` and `crumbs-entities.tsv`, written by the project.
    case curated
    /// Disconnect's current `services.json` / `entities.json` (CC BY-NC-SA: user-supplied).
    case disconnect
    /// DuckDuckGo's Tracker Data Set `extension-tds.json` (CC BY-NC-SA: user-supplied).
    case duckDuckGo
    /// A GPL-era Disconnect snapshot (the last one is 2020-06-17), same formats as `disconnect`.
    case disconnectSnapshot
    /// Lightbeam's 2016 `disconnect-entitylist.json`, installed by Debian's `webext-lightbeam`.
    case lightbeam
    /// Privacy Badger's `socialwidgets.json`: widget hosts and categories, no owners.
    case privacyBadger

    var precedence: Int {
        switch self {
        case .curated: 0
        case .disconnect: 1
        case .duckDuckGo: 2
        case .disconnectSnapshot: 3
        case .lightbeam: 4
        case .privacyBadger: 5
        }
    }

    public static func < (lhs: EntityListSource, rhs: EntityListSource) -> Bool {
        lhs.precedence < rhs.precedence
    }

    public var description: String {
        switch self {
        case .curated: "Crumbs curated list"
        case .disconnect: "Disconnect"
        case .duckDuckGo: "DuckDuckGo Tracker Data Set"
        case .disconnectSnapshot: "Disconnect (GPL snapshot)"
        case .lightbeam: "Lightbeam entity list (2016)"
        case .privacyBadger: "Privacy Badger social widgets"
        }
    }
}

/// One thing a list says about a domain (or host): who owns it and what it does.
public struct DomainFact: Sendable, Hashable {
    /// Lower-case ACE, no `*.` or trailing dot: the key that request hosts are walked up to.
    public var domain: String
    /// The owning company as this list names it, already rolled up to the parent where the list
    /// knows one; nil when the list only categorises (Privacy Badger).
    public var company: String?
    public var categories: TrackerCategorySet
    /// DuckDuckGo's share of sites that load the domain (0…1), when known.
    public var prevalence: Double?
    /// The Privacy Badger widget served from this host (`Twitter`, `YouTube`).
    public var widget: String?

    public init(
        domain: String, company: String?, categories: TrackerCategorySet = [], prevalence: Double? = nil,
        widget: String? = nil
    ) {
        self.domain = domain
        self.company = company
        self.categories = categories
        self.prevalence = prevalence
        self.widget = widget
    }
}

/// Everything one parsed list gives an `EntityMap`: its facts, tagged with their source.
public struct EntityListContribution: Sendable {
    public var source: EntityListSource
    public var facts: [DomainFact]
    /// Other names of companies, mapped to the name to show (`"Facebook, Inc."` → `"Meta"`), so
    /// that lists spelling one company differently still agree on `sameOwner`.
    public var companyAliases: [String: String]

    public init(source: EntityListSource, facts: [DomainFact], companyAliases: [String: String] = [:]) {
        self.source = source
        self.facts = facts
        self.companyAliases = companyAliases
    }
}
