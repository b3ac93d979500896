import CrumbsModel
import Foundation

/// Every user-facing string of the reports, one table per language (`Catalog+English.swift`,
/// `Catalog+French.swift`), with `{name}` placeholders; counted phrases have `.one` and `.other`
/// forms, chosen by each language's rule (French says "0 site", English "0 sites"). Numbers,
/// percentages and dates follow the language's locale: « 78 % », "78%".
public struct Catalog: Sendable {
    public let language: Language

    public init(_ language: Language) {
        self.language = language
    }

    static func table(_ language: Language) -> [String: String] {
        switch language {
        case .en: english
        case .fr: french
        }
    }

    /// The string for `key` with its placeholders filled. A key missing from the language falls
    /// back to English (a test keeps the tables in step), then to the key itself.
    public func text(_ key: String, _ values: [String: String] = [:]) -> String {
        let template = Self.table(language)[key] ?? Self.english[key] ?? key
        guard !values.isEmpty, template.contains("{") else { return template }
        var result = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            result += rest[..<open]
            let name = String(rest[rest.index(after: open)..<close])
            result += values[name] ?? "{\(name)}"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// The string for `key`, or `fallback` when no language has it.
    public func text(_ key: String, fallback: String) -> String {
        Self.table(language)[key] ?? Self.english[key] ?? fallback
    }

    /// A tracker category's name ("analytics", « mesure d'audience »); an unknown one as it is.
    public func category(_ raw: String) -> String {
        Self.table(language)["category." + raw] ?? raw
    }

    /// The `.one` or `.other` form of `key` for `count`, with `{n}` the number as written here.
    public func count(_ key: String, _ count: Int, _ values: [String: String] = [:]) -> String {
        let singular = language == .fr ? count <= 1 : count == 1
        var values = values
        values["n"] = number(count)
        return text(key + (singular ? ".one" : ".other"), values)
    }

    /// 1,234 or 1 234.
    public func number(_ value: Int) -> String {
        value.formatted(.number.locale(language.locale))
    }

    /// One decimal: 3.5 or 3,5.
    public func decimal(_ value: Double) -> String {
        value.formatted(.number.locale(language.locale).precision(.fractionLength(1)))
    }

    /// Whole percent, rounded half up: 0.8378 → "84%" or « 84 % ».
    public func percent(_ fraction: Double) -> String {
        let whole = Int((fraction * 100).rounded())
        return language == .fr ? "\(number(whole))\u{A0}%" : "\(number(whole))%"
    }

    /// A day as the language writes it: "December 7, 2026", « 7 décembre 2026 ».
    /// A moment, with date and time, in the language's style.
    public func dateTime(_ date: Date, in zone: TimeZone = .current) -> String {
        date.formatted(Date.FormatStyle(date: .abbreviated, time: .shortened, locale: language.locale, timeZone: zone))
    }

    public func date(_ day: Day) -> String {
        let utc = TimeZone(identifier: "UTC")!
        return day.interval(in: utc).start.formatted(
            Date.FormatStyle(date: .long, time: .omitted, locale: language.locale, timeZone: utc))
    }

    /// Names joined as the language lists them: "a, b and c", « a, b et c ».
    public func list(_ items: [String]) -> String {
        guard items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + text("list.and") + items.last!
    }
}
