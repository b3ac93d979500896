/// Why a line of a filter list was not turned into a network rule. Skipping is never fatal:
/// every skipped line is counted under its reason and kept with its line number.
public enum SkipReason: Hashable, Sendable, CustomStringConvertible {
    /// `! …` (Adblock Plus) or `# …` (hosts files, domain lists).
    case comment
    /// `[Adblock Plus 2.0]` and similar headers.
    case header
    /// Element hiding and scriptlets (`##`, `#@#`, `#?#`, `#$#`, `##+js(…)`, `$$`): page
    /// content, not requests.
    case cosmetic
    /// Rules whose only type is `popup`: a proxy never sees a new window being opened.
    case popupOnly
    /// A known option this engine does not implement, named without its value (`csp`,
    /// `removeparam`, `redirect-rule`, `generichide`…). The whole rule is skipped, because
    /// dropping only the option would change what the rule blocks.
    case unsupportedOption(String)
    /// An option no list syntax defines (a typo or a newer extension).
    case unknownOption(String)
    /// A pattern that cannot match a URL: spaces inside, an empty `/regex/`, a lone anchor.
    case invalidPattern
    /// One or two characters with no anchor and no `domain=` to narrow them: such a rule matches
    /// almost every URL, and in practice is a fragment of a broken line or of a binary file.
    case tooGeneric
    /// A `domain=`, `from=` or `denyallow=` value that is empty or holds a non-host byte (or
    /// a negation or entity in `denyallow=`).
    case invalidDomain
    /// `127.0.0.1 localhost` and the other loopback names every hosts file starts with.
    case localhostEntry
    /// A hosts-file or domain-list line that does not hold a valid host name.
    case invalidHost

    public var description: String {
        switch self {
        case .comment: "comment"
        case .header: "header"
        case .cosmetic: "cosmetic"
        case .popupOnly: "popup-only"
        case .unsupportedOption(let name): "unsupported option \(name)"
        case .unknownOption(let name): "unknown option \(name)"
        case .invalidPattern: "invalid pattern"
        case .tooGeneric: "too generic (matches almost every URL)"
        case .invalidDomain: "invalid domain option"
        case .localhostEntry: "localhost entry"
        case .invalidHost: "invalid host"
        }
    }
}
