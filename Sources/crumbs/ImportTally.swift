import CrumbsModel

/// What an import brought, counted on the classified events: the summary of `crumbs import`
/// and all that `--dry-run` prints.
struct ImportTally {
    private(set) var sites: Set<String> = []
    private(set) var thirdParties: Set<String> = []
    private(set) var trackers: Set<String> = []
    private(set) var companies: Set<String> = []
    private(set) var guessed = 0
    /// Trackers found behind first-party names by their CNAME chain: the rule location's note.
    private(set) var cloaked: Set<String> = []

    mutating func add(_ events: [RequestEvent], siteOfHost: (String) -> String) {
        for event in events {
            guard let classification = event.classification else { continue }
            if let site = classification.firstPartySite,
                classification.attribution == .navigation
                    || classification.attribution == .recordedPage
            {
                sites.insert(site)
            }
            if classification.confidence == .low { guessed += 1 }
            if let location = classification.ruleLocation, location.hasPrefix("CNAME ") {
                let company = classification.company.map { " (\($0))" } ?? ""
                cloaked.insert(String(location.prefix { $0 != ";" }).dropFirst(6) + company)
            }
            guard classification.isThirdParty else { continue }
            let party = siteOfHost(event.host)
            thirdParties.insert(party)
            if classification.isTracker { trackers.insert(party) }
            if let company = classification.company { companies.insert(company) }
        }
    }
}
