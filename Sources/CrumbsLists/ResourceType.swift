/// What kind of resource a request fetches, as filter lists and browsers name it.
///
/// `popup` is not a resource type here: a popup is a new window, which a proxy never sees, so
/// rules that only target popups are skipped when a list is parsed.
public enum ResourceType: String, Sendable, CaseIterable {
    /// A top-level page (Chrome's `main_frame`). Rules without a type option never match it.
    case document
    /// A frame inside a page (`sub_frame`, list spelling `subdocument` or `frame`).
    case subdocument
    case stylesheet
    case script
    case image
    case font
    case media
    /// A plugin object (`<object>`, `<embed>`).
    case object
    /// `fetch()` and `XMLHttpRequest` (list spelling `xmlhttprequest` or `xhr`).
    case xmlhttprequest
    /// `navigator.sendBeacon` and `<a ping>` (list spelling `ping` or `beacon`).
    case ping
    case websocket
    case other

    /// Reads a type as filter lists spell it (`xhr`, `css`, `frame`, `beacon`…), as Chrome's
    /// `webRequest` names it (`main_frame`, `sub_frame`, `csp_report`…) or as Firefox does
    /// (`imageset`, `beacon`). Case-insensitive; nil for unknown names and for `popup`.
    public init?(listName: String) {
        guard let type = Self.byName[listName.lowercased()] else { return nil }
        self = type
    }

    private static let byName: [String: ResourceType] = [
        "document": .document, "doc": .document, "main_frame": .document,
        "subdocument": .subdocument, "frame": .subdocument, "sub_frame": .subdocument,
        "stylesheet": .stylesheet, "css": .stylesheet,
        "script": .script,
        "image": .image, "imageset": .image,
        "font": .font,
        "media": .media,
        "object": .object, "object-subrequest": .object, "object_subrequest": .object,
        "xmlhttprequest": .xmlhttprequest, "xhr": .xmlhttprequest, "fetch": .xmlhttprequest,
        "ping": .ping, "beacon": .ping,
        "websocket": .websocket,
        "other": .other, "csp_report": .other, "speculative": .other, "xslt": .other,
        "xml_dtd": .other, "web_manifest": .other, "webtransport": .other,
    ]

    /// This type's bit in a rule's type mask (a switch, not a table: it runs once per request).
    var bit: TypeMask {
        let index: UInt16
        switch self {
        case .document: index = 0
        case .subdocument: index = 1
        case .stylesheet: index = 2
        case .script: index = 3
        case .image: index = 4
        case .font: index = 5
        case .media: index = 6
        case .object: index = 7
        case .xmlhttprequest: index = 8
        case .ping: index = 9
        case .websocket: index = 10
        case .other: index = 11
        }
        return TypeMask(rawValue: 1 << index)
    }
}

/// A set of resource types, one bit each, as a rule stores them.
struct TypeMask: OptionSet, Sendable, Hashable {
    let rawValue: UInt16

    static let all = TypeMask(rawValue: (1 << UInt16(ResourceType.allCases.count)) - 1)
    /// What a rule without type options applies to: every type, top-level documents included, as
    /// adblock-rust matches them and uBlock Origin's strict blocking does: a page load (or a
    /// bounce through a click tracker) to a host a list blocks is a tracker request.
    static let defaultTypes = all
}
