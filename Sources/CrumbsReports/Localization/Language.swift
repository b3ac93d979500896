import Foundation

/// The languages Crumbs speaks. Much of its audience is French-speaking.
public enum Language: String, Sendable, CaseIterable, Codable {
    case en, fr

    /// From a tag as `LANG`, `--lang` or `Accept-Language` give it: "fr", "fr_FR.UTF-8",
    /// "fr-CA", "en-GB"; nil for a language Crumbs does not speak.
    public init?(tag: String) {
        let primary = tag.lowercased().prefix { $0.isLetter }
        guard let language = Language(rawValue: String(primary)) else { return nil }
        self = language
    }

    /// The language of the environment, as POSIX programs choose it: `LC_ALL`, then
    /// `LC_MESSAGES`, then `LANG` (`LANGUAGE`'s first entry before them when set); English when
    /// none names a language Crumbs speaks ("C", "POSIX" or unset).
    public static func from(environment: [String: String]) -> Language {
        let candidates = [
            environment["LANGUAGE"]?.split(separator: ":").first.map(String.init), environment["LC_ALL"],
            environment["LC_MESSAGES"], environment["LANG"],
        ]
        for case let tag? in candidates where !tag.isEmpty {
            if let language = Language(tag: tag) { return language }
        }
        return .en
    }

    /// The locale numbers and dates are written in.
    public var locale: Locale {
        switch self {
        case .en: Locale(identifier: "en_US")
        case .fr: Locale(identifier: "fr_FR")
        }
    }
}
