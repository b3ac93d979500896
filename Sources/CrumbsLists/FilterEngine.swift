/// Decides whether requests are blocked by a set of filter lists (EasyList, EasyPrivacy, hosts
/// files…), the way uBlock Origin and Brave's adblock-rust do, and says which rule decided.
///
/// Loading indexes every rule once: `||host^`-style rules under their host, which a request
/// finds by walking up its own host's labels; other rules under their rarest whole token, which
/// a request finds by tokenizing its URL; the few rules with no usable token in a short list
/// tried every time. Matching works on the URL's bytes and allocates nothing until it builds
/// the answer.
///
/// Semantics: blocked when a block rule matches and no exception (`@@`) does; an `important`
/// block rule ignores exceptions that are not themselves `important`. `badfilter` rules cancel
/// the rule with the same text in any list. `domain=` applies when the page host or one of its
/// parents is listed and none is excluded (an exclusion wins, as in uBlock Origin and
/// adblock-rust); `domain=google.*` matches pages whose site is `google` under any public
/// suffix. Rules without a type option match every type, `document` included, as adblock-rust
/// does and uBlock Origin's strict blocking does for `||host^`: a visit to a tracker's host (a
/// click or bounce tracker) is a tracker request. A `$document` exception is a type filter
/// only: it does not switch filtering off for the page.
public struct FilterEngine: Sendable {
    /// How the rules were indexed, for diagnostics and benchmarks.
    public struct Statistics: Sendable, Hashable {
        /// Rules in the engine (block, exception and important).
        public var rules = 0
        /// Filed under a host (`||host^…` rules and hosts entries).
        public var hostRules = 0
        /// Filed under a token of their pattern or regex.
        public var tokenRules = 0
        /// Tried for every request: no whole token of two bytes or more.
        public var fallbackRules = 0
        /// Rules cancelled by a `badfilter` rule.
        public var cancelledByBadfilter = 0
        /// The most rules filed under one token.
        public var largestTokenBucket = 0
    }

    /// The names of the lists, in the order given.
    public let listNames: [String]
    public let statistics: Statistics
    let compiled: CompiledRules

    /// Indexes the rules of `lists`. The engine copies what it needs (rule texts, names), so the
    /// lists may be dropped afterwards.
    public init(lists: [FilterList]) {
        var compiler = RuleCompiler()
        compiler.build(lists)
        listNames = lists.map(\.name)
        statistics = compiler.statistics
        compiled = CompiledRules(compiler, listNames: listNames)
    }

    /// Decides one request.
    public func decide(_ request: FilterRequest) -> FilterDecision {
        let rules = compiled
        return MatchContext.with(request, rules) { context in
            if let rule = rules.firstMatch(.important, context) {
                let blockRule = rules.reference(rule)
                if let lifted = rules.firstMatch(.exception, context, importantOnly: true) {
                    let exception = rules.reference(lifted)
                    return FilterDecision(
                        blocked: false, rule: exception, blockRule: blockRule, exception: exception, important: true)
                }
                return FilterDecision(blocked: true, rule: blockRule, blockRule: blockRule, important: true)
            }
            guard let rule = rules.firstMatch(.block, context) else { return .allowed }
            let blockRule = rules.reference(rule)
            if let lifted = rules.firstMatch(.exception, context) {
                let exception = rules.reference(lifted)
                return FilterDecision(blocked: false, rule: exception, blockRule: blockRule, exception: exception)
            }
            return FilterDecision(blocked: true, rule: blockRule, blockRule: blockRule)
        }
    }

    /// Only the verdict, without building rule references: the cheapest question to ask.
    public func isBlocked(_ request: FilterRequest) -> Bool {
        let rules = compiled
        return MatchContext.with(request, rules) { context in
            if rules.firstMatch(.important, context) != nil {
                return rules.firstMatch(.exception, context, importantOnly: true) == nil
            }
            guard rules.firstMatch(.block, context) != nil else { return false }
            return rules.firstMatch(.exception, context) == nil
        }
    }

    /// Every list with a block rule matching `request`, in list order, when the request is
    /// blocked; empty when it is not. Several lists often block the same tracker, and each
    /// one counts for attribution.
    public func matchingLists(_ request: FilterRequest) -> [String] {
        guard isBlocked(request) else { return [] }
        let rules = compiled
        return MatchContext.with(request, rules) { context in
            var found = Set<UInt16>()
            for kind in [RuleKind.important, .block] {
                rules.scan(kind, context, importantOnly: false) { rule in
                    found.insert(rules.rules[Int(rule)].list)
                    return false
                }
            }
            return found.sorted().map { listNames[Int($0)] }
        }
    }
}
