import CrumbsModel

/// Judges one request against the loaded lists, given its first-party site: third party or not,
/// same owner, tracker or not, which lists say so and by which rule, which company, which
/// categories. Pure and stateless; attribution (which page a request belongs to) happens before.
public struct RequestClassifier: Sendable {
    public let lists: LoadedLists

    /// Categories that make a listed third-party host a tracker. Content (CDNs, fonts, embeds)
    /// and consent managers are listed for their owner, not because they track.
    public static let trackingCategories: TrackerCategorySet = [
        .analytics, .advertising, .social, .tagManager, .sessionReplay, .fingerprinting, .cryptomining, .email, .other,
    ]

    public init(lists: LoadedLists) {
        self.lists = lists
    }

    /// The registrable domain of `host`, or the host itself (IP addresses, bare names).
    public func site(ofHost host: String) -> String {
        lists.publicSuffixes.site(ofHost: host) ?? host.lowercased()
    }

    /// Classifies a request for `url` (whose host is `host`) of `type`, made by a page of
    /// `firstPartySite` (nil when unknown: then nothing is called third party) on `sourceHost`
    /// (the page's or frame's host name, which `domain=` options match; the first party's site
    /// stands in for it when nil).
    public func classify(
        url: String, host: String, type: RequestType, firstPartySite: String?, sourceHost: String? = nil
    ) -> Classification {
        let requestSite = site(ofHost: host)
        var result = Classification(requestType: type.rawValue)
        result.firstPartySite = firstPartySite
        let otherSite = firstPartySite.map { $0 != requestSite } ?? false
        if otherSite, let firstPartySite {
            result.isSameOwner = lists.entities.sameOwner(requestSite, firstPartySite)
            result.isThirdParty = !result.isSameOwner
        }

        let filterType = ResourceType(listName: type.rawValue) ?? .other
        // `domain=` options match the page's host name and its parents (as adblock-rust and uBO
        // do); entity options (`domain=google.*`) match its site.
        let request = FilterRequest(
            url: url, sourceHost: sourceHost ?? firstPartySite, sourceSite: firstPartySite, type: filterType,
            isThirdParty: otherSite)
        let decision = lists.filters.decide(request)
        if decision.blocked {
            result.lists = lists.filters.matchingLists(request)
            result.rule = decision.rule?.text
            result.ruleLocation = decision.rule.map { "\($0.list):\($0.line)" }
        } else if let exception = decision.exception {
            // Not a tracker, but say why: an exception rule lifted the block.
            result.rule = exception.text
            result.ruleLocation = "\(exception.list):\(exception.line)"
        }

        if let match = lists.entities.lookup(host) {
            result.company = match.company
            result.categories = TrackerCategory.displayPriority.filter(match.categories.contains).map(\.rawValue)
            let tracking = match.categories.overlaps(Self.trackingCategories)
            if tracking, result.isThirdParty {
                for source in match.categorySources.map(\.description) where !result.lists.contains(source) {
                    result.lists.append(source)
                }
            }
        }
        // A tracker is what a filter list blocks, or a third party a tracker list files under a
        // tracking category. A site's own analytics is still a tracker if a filter list says so.
        result.isTracker = decision.blocked || (result.isThirdParty && !categoriesAreOnlyBenign(result))
        return result
    }

    /// Whether a list files `host` as a third party (a tracker's or a service's host), so that a
    /// tunnel to it is never taken for a page the user went to.
    public func isListedThirdParty(host: String) -> Bool {
        if let match = lists.entities.lookup(host), !match.categories.isEmpty { return true }
        let request = FilterRequest(
            url: "https://\(host)/", sourceHost: nil, sourceSite: nil, type: .other, isThirdParty: true)
        return lists.filters.decide(request).blocked
    }

    private func categoriesAreOnlyBenign(_ result: Classification) -> Bool {
        let categories = TrackerCategorySet(result.categories.compactMap { TrackerCategory(rawValue: $0) })
        return !categories.overlaps(Self.trackingCategories)
    }
}

extension TrackerCategorySet {
    fileprivate func overlaps(_ other: TrackerCategorySet) -> Bool { rawValue & other.rawValue != 0 }
}
