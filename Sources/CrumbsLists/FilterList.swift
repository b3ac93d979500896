import Foundation

/// One parsed filter list: Adblock Plus / uBlock Origin syntax, a hosts file, or a plain list of
/// domains. Keeps the list's bytes, so every rule can be traced back to its line and text.
///
/// Parsing never fails: lines that are not network rules (comments, cosmetic filters, rules
/// with options this engine does not implement) are skipped and counted by `SkipReason`.
/// Hosts-file and domain-list entries become host rules equivalent to `||host^`.
///
/// Options, decided one by one:
/// - Implemented: the resource types (`script`, `image`, `stylesheet`/`css`, `xmlhttprequest`/
///   `xhr`, `subdocument`/`frame`, `ping`/`beacon`, `media`, `font`, `websocket`, `object`,
///   `other`, `document`/`doc`, `all`) and their negations (`~script`); `third-party`/`3p`,
///   `first-party`/`1p` and their negations; `domain=` and its alias `from=`, with `~` and
///   entities (`google.*`); `denyallow=`; `important`; `match-case`; `badfilter`; `_` (no-op).
/// - `redirect=` is kept as a plain block rule: uBlock Origin blocks the request and serves a
///   neutered stand-in, so for a block-or-allow verdict it blocks.
/// - `popup` is dropped from a type list; a rule for popups only is skipped (`popupOnly`).
/// - Skipped whole, counted as `unsupportedOption(name)`, because they rewrite rather than block
///   or decide on what a proxy cannot see: `csp`, `removeparam`/`queryprune`, `rewrite`,
///   `redirect-rule` (redirects only what another rule blocks), `header`, `method`, `to`,
///   `strict1p`/`strict3p`, `permissions`, `replace`, `urlskip`/`uritransform`, `empty`/`mp4`,
///   `inline-script`/`inline-font`, `webrtc`, `sitekey`, `ipaddress`, `cname`, `popunder`, the
///   cosmetic exception options (`elemhide`, `generichide`, `specifichide`, `genericblock`,
///   `content`, `jsinject`, `urlblock`, `extension`, `stealth`), and `redirect=` on exceptions.
///   Dropping only the option would turn such a rule into a broader block or allow rule.
/// - A `$document` exception is a type filter only; it does not switch filtering off for the
///   page as uBlock's allowlisting does.
public struct FilterList: Sendable {
    /// The syntax of a list.
    public enum Format: String, Sendable, CaseIterable {
        /// Adblock Plus / uBlock Origin / EasyList syntax.
        case adblock
        /// `0.0.0.0 host` lines, as in `/etc/hosts`.
        case hosts
        /// One domain per line.
        case domains
    }

    /// What the list held. A rule may count under several kinds (an important host rule).
    public struct Counts: Sendable, Hashable {
        public var lines = 0
        public var blockRules = 0
        /// `@@` rules.
        public var exceptionRules = 0
        /// `||…` rules and hosts entries.
        public var hostAnchored = 0
        /// `||host^` rules and hosts entries: matched by a host lookup alone.
        public var pureHost = 0
        public var regex = 0
        public var important = 0
        /// `badfilter` rules (they cancel other rules and match nothing themselves).
        public var badfilter = 0
        /// `redirect=` rules, kept as block rules.
        public var redirect = 0
        /// Rules from hosts-file or domain-list lines.
        public var hostsEntries = 0
        public var skipped = 0

        /// Block and exception rules together.
        public var networkRules: Int { blockRules + exceptionRules }
    }

    /// A line that did not become a rule.
    public struct SkippedLine: Sendable, Hashable {
        public var line: Int
        public var reason: SkipReason
        public var text: String

        public init(line: Int, reason: SkipReason, text: String) {
            self.line = line
            self.reason = reason
            self.text = text
        }
    }

    public let name: String
    public let path: String?
    public let format: Format
    public let counts: Counts
    /// How many lines were skipped for each reason.
    public let skippedCounts: [SkipReason: Int]

    let bytes: [UInt8]
    let rules: [NetworkRule]
    let constraints: [DomainConstraint]
    let domainHashes: [UInt64]
    let badfilterKeys: [[UInt8]]
    private let skips: [FilterListParser.SkipRecord]
    private let reasons: [SkipReason]

    /// Parses list text. `format` nil means detect it from the first lines.
    public init(text: String, name: String, path: String? = nil, format: Format? = nil) {
        self.init(bytes: Array(text.utf8), name: name, path: path, format: format)
    }

    /// Parses list bytes (UTF-8). `format` nil means detect it from the first lines.
    public init(bytes: [UInt8], name: String, path: String? = nil, format: Format? = nil) {
        let format = format ?? Self.detectFormat(bytes)
        let parser = bytes.withUnsafeBufferPointer { buffer in
            var parser = FilterListParser(bytes: buffer)
            parser.parse(format: format)
            return parser
        }
        self.name = name
        self.path = path
        self.format = format
        self.bytes = bytes
        self.rules = parser.rules
        self.constraints = parser.constraints
        self.domainHashes = parser.domainHashes
        self.badfilterKeys = parser.badfilterKeys
        self.skips = parser.skips
        self.reasons = parser.reasons
        self.counts = parser.counts
        var byReason: [SkipReason: Int] = [:]
        for record in parser.skips { byReason[parser.reasons[Int(record.reason)], default: 0] += 1 }
        self.skippedCounts = byReason
    }

    /// Reads a list file. `name` defaults to the file name.
    public init(contentsOf url: URL, name: String? = nil, format: Format? = nil) throws(FilterListError) {
        let data: Data
        do {
            // Mapped, not read into the heap: the bytes are copied once into the list below.
            data = try Data(contentsOf: url, options: .mappedIfSafe)
        } catch {
            throw FilterListError(path: url.path, detail: String(describing: error))
        }
        if let problem = TextFileCheck.problem(data) { throw FilterListError(path: url.path, detail: problem) }
        self.init(bytes: [UInt8](data), name: name ?? url.lastPathComponent, path: url.path, format: format)
        if rules.isEmpty {
            let reasons = skippedCounts.sorted { $0.value > $1.value }.prefix(3).map { "\($0.value) \($0.key)" }
            throw FilterListError(
                path: url.path,
                detail: "no valid rule in \(skippedCounts.values.reduce(0, +)) lines"
                    + (reasons.isEmpty ? "" : " (skipped: \(reasons.joined(separator: ", ")))"))
        }
    }

    /// Every skipped line with its reason and text, in line order.
    public var skippedLines: [SkippedLine] {
        skips.map { record in
            SkippedLine(
                line: Int(record.line), reason: reasons[Int(record.reason)],
                text: text(start: record.textStart, length: record.textLength))
        }
    }

    /// The rules' references in list order, for listing or testing a list.
    public var ruleReferences: [RuleReference] {
        rules.map(reference(for:))
    }

    func reference(for rule: NetworkRule) -> RuleReference {
        RuleReference(list: name, line: Int(rule.line), text: text(start: rule.textStart, length: rule.textLength))
    }

    func text(start: Int32, length: Int32) -> String {
        String(decoding: bytes[Int(start)..<Int(start + length)], as: UTF8.self)
    }
}

/// A filter list file could not be read.
public struct FilterListError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var detail: String

    public var description: String { "cannot read filter list \(path): \(detail)" }
}
