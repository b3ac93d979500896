/// The page's language: `?lang=` (the switch on every page), else the browser's
/// `Accept-Language` by preference order and weight, else English.
public enum LanguageChoice {
    public static func choose(query: String?, acceptLanguage: String?) -> Language {
        if let query, let language = Language(tag: query) { return language }
        guard let acceptLanguage else { return .en }
        let ranked = acceptLanguage.split(separator: ",").enumerated().compactMap {
            index, item -> (tag: String, weight: Double, index: Int)? in
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first, !tag.isEmpty else { return nil }
            let weight = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            return (tag, weight, index)
        }
        .filter { $0.weight > 0 }
        .sorted { $0.weight != $1.weight ? $0.weight > $1.weight : $0.index < $1.index }
        return ranked.lazy.compactMap { Language(tag: $0.tag) }.first ?? .en
    }
}
