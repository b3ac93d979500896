/// The engine's rules after indexing: flat arrays and two indexes, immutable once built.
/// A class, so that copying a `FilterEngine` or capturing it in a matching closure costs one
/// reference count instead of one per array.
final class CompiledRules: Sendable {
    /// One indexed rule; `text*` and `pattern*` (a part of the text) point into `texts`.
    struct Rule: Sendable {
        var patternStart: Int32
        var patternLength: Int32
        var textStart: Int32
        var textLength: Int32
        var line: Int32
        /// Index into `constraints`, or -1.
        var constraint: Int32
        /// The next rule in the same bucket, or -1.
        var next: Int32
        var types: TypeMask
        var flags: RuleFlags
        var hostLength: UInt16
        var list: UInt16
    }

    let listNames: [String]
    let rules: [Rule]
    /// The text of every rule as written, back to back. Patterns are read from it in place (and
    /// lower-cased while matching), so the engine keeps neither the lists' other lines
    /// (cosmetic filters, comments) nor a second copy of the patterns.
    let texts: [UInt8]
    let constraints: [DomainConstraint]
    let domainHashes: [UInt64]
    /// Rules filed under a host: `||host^…` rules and hosts entries.
    let hosts: RuleIndex
    /// Rules filed under a token of their pattern or regex.
    let tokens: RuleIndex
    /// Rules with no usable token, tried for every request, by kind.
    let fallback: FallbackRules
    let regexes = RegexCache()

    init(_ compiler: RuleCompiler, listNames: [String]) {
        self.listNames = listNames
        rules = compiler.rules
        texts = compiler.texts
        constraints = compiler.constraints
        domainHashes = compiler.domainHashes
        hosts = compiler.hosts
        tokens = compiler.tokens
        fallback = compiler.fallback
    }

    func reference(_ index: Int32) -> RuleReference {
        let rule = rules[Int(index)]
        let text = String(decoding: texts[Int(rule.textStart)..<Int(rule.textStart + rule.textLength)], as: UTF8.self)
        return RuleReference(list: listNames[Int(rule.list)], line: Int(rule.line), text: text)
    }
}
