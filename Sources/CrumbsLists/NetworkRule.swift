/// One parsed network rule, as ranges into its list's bytes rather than Strings, so a list of
/// 100,000 rules is a handful of flat arrays.
struct NetworkRule: Sendable {
    /// 1-based line number in the list.
    var line: Int32
    /// The trimmed line as written, for `RuleReference`.
    var textStart: Int32
    var textLength: Int32
    /// The pattern without `@@`, anchors, options and surrounding `*`; for `/regex/` rules
    /// the regex source between the slashes.
    var patternStart: Int32
    var patternLength: Int32
    /// Index into the list's `constraints`, or -1 when the rule has no `domain=`/`denyallow=`.
    var constraint: Int32
    var types: TypeMask
    var flags: RuleFlags
    /// When the pattern starts with a whole host name (`||example.com^…`, `||example.com/…`),
    /// its length: the engine then files the rule under that host instead of a token.
    var hostLength: UInt16
}

/// The flags of a `NetworkRule`.
struct RuleFlags: OptionSet, Sendable, Hashable {
    let rawValue: UInt16

    /// `@@`
    static let exception = RuleFlags(rawValue: 1 << 0)
    static let important = RuleFlags(rawValue: 1 << 1)
    static let matchCase = RuleFlags(rawValue: 1 << 2)
    /// `||`: the pattern starts at a label boundary of the host.
    static let hostAnchor = RuleFlags(rawValue: 1 << 3)
    /// `|` at the start: the pattern starts at the start of the URL.
    static let startAnchor = RuleFlags(rawValue: 1 << 4)
    /// `|` at the end: the pattern ends at the end of the URL.
    static let endAnchor = RuleFlags(rawValue: 1 << 5)
    static let regex = RuleFlags(rawValue: 1 << 6)
    /// `~third-party`, `1p`, `first-party`
    static let firstParty = RuleFlags(rawValue: 1 << 7)
    /// `third-party`, `3p`, `~first-party`
    static let thirdParty = RuleFlags(rawValue: 1 << 8)
    /// `||host^` (or a hosts-file entry): the host match alone decides the pattern.
    static let pureHost = RuleFlags(rawValue: 1 << 9)
    /// `redirect=`: uBlock Origin blocks the request and serves a neutered stand-in, so for a
    /// block-or-allow verdict it is a block rule.
    static let redirect = RuleFlags(rawValue: 1 << 10)
    /// Came from a hosts file or domain list rather than Adblock Plus syntax.
    static let hostsEntry = RuleFlags(rawValue: 1 << 11)
}

/// The `domain=`/`from=` and `denyallow=` hosts of one rule: 64-bit host hashes in the list's
/// `domainHashes`, in five sorted runs starting at `start`, in the order of the fields.
struct DomainConstraint: Sendable {
    var start: Int32
    /// Page hosts the rule is limited to (`domain=a.com`); none (and no entity) means any page.
    var included: UInt16
    /// Page hosts the rule never applies on (`domain=~b.a.com`).
    var excluded: UInt16
    /// Request hosts the rule never applies to (`denyallow=cdn.com`).
    var denied: UInt16
    /// Page entities the rule is limited to (`domain=google.*`: the site's name before its
    /// public suffix, so `google.com` and `google.co.uk` both match).
    var includedEntities: UInt16 = 0
    /// Page entities the rule never applies on (`domain=~google.*`).
    var excludedEntities: UInt16 = 0

    var count: Int {
        Int(included) + Int(excluded) + Int(denied) + Int(includedEntities) + Int(excludedEntities)
    }
}
