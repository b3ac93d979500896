import Foundation

extension PublicSuffixList {
    /// Why a line of a list was skipped.
    public enum SkipReason: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// `.com`, `a..b`, `com.`, or `*.` with nothing after it.
        case emptyLabel
        /// `*` anywhere but as the whole leftmost label (`a.*.b`, `*foo.com`).
        case misplacedWildcard
        /// `!` on a one-label rule, on a wildcard, or not at the start.
        case badException
        /// A byte or scalar that cannot be in a host name (`/`, a space inside, bad UTF-8).
        case invalidCharacter
        /// A label over 63 bytes or a rule over 253 bytes once in ACE form.
        case tooLong
        /// The same rule (same kind) listed twice.
        case duplicate

        public var description: String { rawValue }
    }

    /// One skipped line, kept as a sample for diagnostics.
    public struct SkippedLine: Sendable, Hashable {
        /// 1-based.
        public var lineNumber: Int
        public var text: String
        public var reason: SkipReason
    }

    /// What parsing a list kept and skipped.
    public struct LoadReport: Sendable, Hashable, CustomStringConvertible {
        /// At most this many skipped lines are kept as samples; the counts are always complete.
        public static let sampleLimit = 20

        /// Rules in the table (the explicit default rule `*` is counted but changes nothing).
        public internal(set) var rulesKept = 0
        public internal(set) var rulesBySection: [Section: Int] = [:]
        /// PRIVATE rules left out because the list was loaded with `includePrivate: false`.
        public internal(set) var privateRulesExcluded = 0
        public internal(set) var skippedByReason: [SkipReason: Int] = [:]
        /// The first few skipped lines, in file order.
        public internal(set) var skippedSamples: [SkippedLine] = []

        public var linesSkipped: Int { skippedByReason.values.reduce(0, +) }

        public var description: String {
            var text = "\(rulesKept) rules kept, \(linesSkipped) lines skipped"
            let reasons = SkipReason.allCases.compactMap { reason in
                skippedByReason[reason].map { "\(reason): \($0)" }
            }
            if !reasons.isEmpty { text += " (" + reasons.joined(separator: ", ") + ")" }
            return text
        }

        mutating func skip(line: Int, text: Substring, reason: SkipReason) {
            skippedByReason[reason, default: 0] += 1
            if skippedSamples.count < Self.sampleLimit {
                skippedSamples.append(SkippedLine(lineNumber: line, text: String(text), reason: reason))
            }
        }
    }
}

/// Reads the PSL text format: `//` comments, section markers, one rule per line read up to the
/// first whitespace, `*.` wildcards and `!` exceptions.
enum Parser {
    private struct Rule {
        var key: [UInt8]
        var kind: RuleTable.Flags?  // nil for the default rule `*`
    }

    private enum Parsed {
        case success(Rule)
        case failure(PublicSuffixList.SkipReason)
    }

    static func parse(_ text: String, includePrivate: Bool) -> (table: RuleTable, report: PublicSuffixList.LoadReport) {
        var table = RuleTable()
        var report = PublicSuffixList.LoadReport()
        var section = PublicSuffixList.Section.icann
        // Splitting the UTF-8 view keeps `\r\n` apart (as a Character it is one grapheme).
        let lines = text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false)
        for (offset, rawLine) in lines.enumerated() {
            var line = Substring(rawLine)
            if offset == 0, line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
            if line.hasSuffix("\r") { line = line.dropLast() }
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            guard let token = trimmed.split(whereSeparator: { $0.isWhitespace }).first else { continue }
            if token.hasPrefix("//") {
                section = sectionAfter(comment: trimmed, current: section)
                continue
            }
            switch rule(from: token) {
            case .failure(let reason):
                report.skip(line: offset + 1, text: line, reason: reason)
            case .success(let rule):
                guard let kind = rule.kind else {
                    report.rulesKept += 1
                    report.rulesBySection[section, default: 0] += 1
                    continue
                }
                if section == .private, !includePrivate {
                    report.privateRulesExcluded += 1
                    continue
                }
                if table.insert(key: rule.key, kind: kind, isPrivate: section == .private) {
                    report.rulesKept += 1
                    report.rulesBySection[section, default: 0] += 1
                } else {
                    report.skip(line: offset + 1, text: line, reason: .duplicate)
                }
            }
        }
        return (table, report)
    }

    /// Follows `// ===BEGIN PRIVATE DOMAINS===` and friends; other comments change nothing.
    private static func sectionAfter(
        comment: Substring, current: PublicSuffixList.Section
    ) -> PublicSuffixList.Section {
        let words = comment.dropFirst(2).trimmingCharacters(in: .whitespaces)
        switch words {
        case "===BEGIN PRIVATE DOMAINS===": return .private
        case "===BEGIN ICANN DOMAINS===", "===END PRIVATE DOMAINS===", "===END ICANN DOMAINS===":
            // Outside the markers a rule counts as ICANN, the conservative reading.
            return .icann
        default: return current
        }
    }

    private static func rule(from token: Substring) -> Parsed {
        var body = Substring(token.lowercased())
        var kind = RuleTable.Flags.exact
        if body.hasPrefix("!") {
            kind = .exception
            body = body.dropFirst()
        }
        if body == "*" {
            return kind == .exception ? .failure(.badException) : .success(Rule(key: [], kind: nil))
        }
        if body.hasPrefix("*.") {
            if kind == .exception { return .failure(.badException) }
            kind = .wildcard
            body = body.dropFirst(2)
        }
        if body.contains("*") { return .failure(.misplacedWildcard) }
        if body.contains("!") { return .failure(.badException) }
        if !body.utf8.allSatisfy({ $0 < 0x80 }) {
            body = Substring(body.precomposedStringWithCanonicalMapping)
        }
        let labels = body.split(separator: ".", omittingEmptySubsequences: false)
        if labels.contains(where: \.isEmpty) { return .failure(.emptyLabel) }
        if kind == .exception, labels.count < 2 { return .failure(.badException) }
        var key: [UInt8] = []
        for label in labels {
            guard let ace = HostName.aceLabel(label) else { return .failure(.invalidCharacter) }
            guard ace.utf8.count <= HostName.maxLabelLength else { return .failure(.tooLong) }
            if !key.isEmpty { key.append(0x2E) }
            key.append(contentsOf: ace.utf8)
        }
        guard key.count <= HostName.maxLength else { return .failure(.tooLong) }
        return .success(Rule(key: key, kind: kind))
    }
}
