/// Where a rule came from: the list's name, the 1-based line and the line's text as written.
public struct RuleReference: Sendable, Hashable, CustomStringConvertible {
    public var list: String
    public var line: Int
    public var text: String

    public init(list: String, line: Int, text: String) {
        self.list = list
        self.line = line
        self.text = text
    }

    public var description: String { "\(list):\(line): \(text)" }
}

/// What the engine decided for one request, and which rules decided it.
///
/// A request is blocked when a block rule matches and no exception (`@@`) does, unless the
/// block rule is `important`: then only an `important` exception can lift it.
public struct FilterDecision: Sendable, Hashable {
    public var blocked: Bool
    /// The decisive rule: the block rule when blocked, the exception when one lifted the block,
    /// nil when no block rule matched.
    public var rule: RuleReference?
    /// The block rule that matched, also when an exception lifted it.
    public var blockRule: RuleReference?
    /// The exception that lifted the block, if any.
    public var exception: RuleReference?
    /// True when the matching block rule was `important`.
    public var important: Bool

    public init(
        blocked: Bool, rule: RuleReference? = nil, blockRule: RuleReference? = nil,
        exception: RuleReference? = nil, important: Bool = false
    ) {
        self.blocked = blocked
        self.rule = rule
        self.blockRule = blockRule
        self.exception = exception
        self.important = important
    }

    /// No block rule matched.
    public static let allowed = FilterDecision(blocked: false)
}
