import Foundation

/// The formats a digest renders to; the raw values are the CLI's `--format` names and the file
/// extensions the scheduler writes.
public enum DigestFormat: String, Sendable, CaseIterable {
    case markdown, html, json, text

    /// `md`, `html`, `json`, `txt`.
    public var fileExtension: String {
        switch self {
        case .markdown: "md"
        case .html: "html"
        case .json: "json"
        case .text: "txt"
        }
    }
}

extension Digest {
    /// The digest in `format` and `language`; `color` adds ANSI colours to text (for a terminal)
    /// and is ignored by the other formats. JSON keeps its English keys and values but for the
    /// headline, which is in `language` (with a `language` field saying which).
    public func rendered(as format: DigestFormat, color: Bool = false, language: Language = .en) -> String {
        let catalog = Catalog(language)
        switch format {
        case .markdown: return DigestMarkdown.render(document(catalog))
        case .text: return DigestText(color: color, catalog: catalog).render(document(catalog))
        case .html: return DigestHTML.render(document(catalog))
        case .json:
            guard language != .en else { return json }
            var localized = self
            localized.headline = headline(catalog)
            localized.language = language.rawValue
            return localized.json
        }
    }

    /// Pretty-printed JSON with sorted keys and ISO 8601 times (see `Schemas/digest.schema.json`).
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        // Encoding plain structs of strings and numbers cannot fail.
        let data = try! encoder.encode(self)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
