/// What Crumbs concluded about one event: whose page it belongs to, whether it is a third party,
/// a tracker, and which company is behind it — with the evidence (lists and rule) for each claim.
public struct Classification: Sendable, Equatable, Codable {
    /// How the first-party site was found.
    public enum Attribution: String, Sendable, Codable, CaseIterable {
        /// The event is itself a top-level page load.
        case navigation
        /// The Referer named the page (or a frame of it).
        case referer
        /// The Origin header named the page.
        case origin
        /// The request came from an iframe, attached to the frame's parent page.
        case parentFrame
        /// No header told; the client's page at the time was taken (tunnels, mostly).
        case timeWindow
        /// A tunnel placed after a navigation that Crumbs inferred from the order in which the
        /// client opened its tunnels (without decryption): a guess, always low confidence.
        case inferredNavigation
        /// The recording named the page (a HAR entry's `pageref`): the browser's own grouping.
        case recordedPage
        /// Nothing to go on.
        case unattributed
    }

    /// How much the attribution can be trusted. Reports show low-confidence traffic apart.
    public enum Confidence: String, Sendable, Codable, CaseIterable, Comparable {
        case none, low, medium, high

        public static func < (lhs: Confidence, rhs: Confidence) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    public var firstPartySite: String?
    public var attribution: Attribution
    public var confidence: Confidence
    /// The request type in list syntax (`script`, `image`, `subdocument`, …).
    public var requestType: String
    /// The request's site differs from the first party's and they are not owned by one company.
    public var isThirdParty: Bool
    /// The sites differ but one company owns both (fbcdn.net on facebook.com).
    public var isSameOwner: Bool
    public var isTracker: Bool
    /// Every list that flags this request (filter lists and tracker lists).
    public var lists: [String]
    /// The decisive filter rule, as written in its list.
    public var rule: String?
    /// Where that rule is: `easyprivacy.txt:1234`.
    public var ruleLocation: String?
    public var company: String?
    public var categories: [String]

    public init(
        firstPartySite: String? = nil,
        attribution: Attribution = .unattributed,
        confidence: Confidence = .none,
        requestType: String = "other",
        isThirdParty: Bool = false,
        isSameOwner: Bool = false,
        isTracker: Bool = false,
        lists: [String] = [],
        rule: String? = nil,
        ruleLocation: String? = nil,
        company: String? = nil,
        categories: [String] = []
    ) {
        self.firstPartySite = firstPartySite
        self.attribution = attribution
        self.confidence = confidence
        self.requestType = requestType
        self.isThirdParty = isThirdParty
        self.isSameOwner = isSameOwner
        self.isTracker = isTracker
        self.lists = lists
        self.rule = rule
        self.ruleLocation = ruleLocation
        self.company = company
        self.categories = categories
    }
}
