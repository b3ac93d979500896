import CrumbsLists

/// Small builders shared by the filter engine tests.
enum Filters {
    /// An engine over one Adblock Plus list given inline.
    static func engine(_ text: String, name: String = "test") -> FilterEngine {
        FilterEngine(lists: [FilterList(text: text, name: name, format: .adblock)])
    }

    /// A request from `source` (a page URL), third party decided by the built-in suffix list.
    static func request(
        _ url: String, from source: String? = "https://example.com/", type: ResourceType = .script
    ) -> FilterRequest {
        FilterRequest(url: url, sourceURL: source, type: type, sites: PublicSuffixList.builtIn)
    }

    static func blocks(
        _ rules: String, _ url: String, from source: String? = "https://example.com/",
        type: ResourceType = .script
    ) -> Bool {
        engine(rules).decide(request(url, from: source, type: type)).blocked
    }
}
