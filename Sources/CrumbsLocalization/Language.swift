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

    /// The language of the environment, as gettext chooses it: the locale is the first set of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG`; "C"/"POSIX" (or none) means English and `LANGUAGE` is then
    /// ignored; otherwise `LANGUAGE`'s first entry Crumbs speaks wins, then the locale's language.
    /// English when none is one Crumbs speaks.
    public static func from(environment: [String: String]) -> Language {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty }
        guard let locale, !["C", "POSIX"].contains(locale.prefix { $0 != "." && $0 != "@" }) else { return .en }
        for tag in (environment["LANGUAGE"] ?? "").split(separator: ":") {
            if let language = Language(tag: String(tag)) { return language }
        }
        return Language(tag: locale) ?? .en
    }

    /// The locale numbers and dates are written in.
    public var locale: Locale {
        switch self {
        case .en: Locale(identifier: "en_US")
        case .fr: Locale(identifier: "fr_FR")
        }
    }
}
