import CrumbsModel
import Foundation

/// The Public Suffix List (publicsuffix.org): tells the public suffix (`co.uk`) and the
/// registrable domain, or *site* (`example.co.uk`), of a host.
///
/// Rules are kept in ACE form, so Unicode hosts (`食狮.公司.cn`) and their `xn--` spellings both
/// match; answers keep the spelling of the input, lower-cased. Hosts that are IP addresses,
/// have empty labels (`.com`, `a..b`) or hold bytes no host name holds give nil.
/// A lookup is one hash probe per label and allocates only the returned String.
public struct PublicSuffixList: SiteResolver, Sendable {
    /// The part of the list a rule comes from. Rules outside both markers count as ICANN.
    public enum Section: String, Sendable, Hashable, CaseIterable {
        /// Domains delegated by registries (`com`, `co.uk`).
        case icann
        /// Domains whose owners asked to be listed (`github.io`, `blogspot.com`).
        case `private`
    }

    /// Where a list came from, for logs and `crumbs` diagnostics.
    public enum Source: Sendable, Hashable {
        case file(path: String)
        case text
        case builtIn
    }

    /// Everything one lookup found.
    public struct Match: Sendable, Hashable {
        /// The public suffix of the host: `co.uk`, or the TLD under the default rule.
        public var publicSuffix: String
        /// The public suffix plus one label; nil when the host is itself a public suffix.
        public var registrableDomain: String?
        /// The section of the rule that decided; nil when no rule matched and the implicit `*` did.
        public var section: Section?

        public init(publicSuffix: String, registrableDomain: String?, section: Section?) {
            self.publicSuffix = publicSuffix
            self.registrableDomain = registrableDomain
            self.section = section
        }
    }

    public let source: Source
    /// What loading kept and skipped.
    public let report: LoadReport
    /// False when the list was loaded without its PRIVATE section (ICANN-only answers).
    public let includesPrivate: Bool
    let table: RuleTable

    /// Parses list text. Bad lines are skipped and counted in `report`, never fatal.
    public init(text: String, includePrivate: Bool = true) {
        self.init(text: text, includePrivate: includePrivate, source: .text)
    }

    /// Reads and parses a list file (`public_suffix_list.dat` / `effective_tld_names.dat`).
    /// Throws only when the file cannot be read or holds no rule at all.
    public init(contentsOf url: URL, includePrivate: Bool = true) throws(PublicSuffixListError) {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw PublicSuffixListError(.unreadable, path: url.path, detail: String(describing: error))
        }
        if let problem = TextFileCheck.problem(data) {
            throw PublicSuffixListError(.notText, path: url.path, detail: problem)
        }
        // Invalid UTF-8 becomes U+FFFD, which the parser rejects line by line.
        let text = String(decoding: data, as: UTF8.self)
        self.init(text: text, includePrivate: includePrivate, source: .file(path: url.path))
        if report.rulesKept == 0 {
            throw PublicSuffixListError(.noRules, path: url.path, detail: nil)
        }
    }

    init(text: String, includePrivate: Bool, source: Source) {
        let parsed = Parser.parse(text, includePrivate: includePrivate)
        self.table = parsed.table
        self.report = parsed.report
        self.source = source
        self.includesPrivate = includePrivate
    }

    /// The public suffix of `host` (`co.uk` for `www.example.co.uk`); a public suffix is its own.
    public func publicSuffix(of host: String) -> String? {
        resolve(host) { display, walk in HostName.lastLabels(walk.suffixLabels, of: display) }
    }

    /// The registrable domain (eTLD+1) of `host`; nil for public suffixes and non-domains.
    public func registrableDomain(of host: String) -> String? {
        resolve(host) { display, walk in
            walk.labelCount > walk.suffixLabels ? HostName.lastLabels(walk.suffixLabels + 1, of: display) : nil
        }
    }

    /// The site of `host`: its registrable domain.
    public func site(ofHost host: String) -> String? {
        registrableDomain(of: host)
    }

    /// Public suffix, registrable domain and deciding section in one lookup.
    public func match(_ host: String) -> Match? {
        resolve(host) { display, walk in
            Match(
                publicSuffix: HostName.lastLabels(walk.suffixLabels, of: display),
                registrableDomain: walk.labelCount > walk.suffixLabels
                    ? HostName.lastLabels(walk.suffixLabels + 1, of: display) : nil,
                section: walk.section)
        }
    }

    /// Normalises `host`, walks the rules and hands `body` the display bytes (same labels as the
    /// ACE form, in the input's spelling) with the result.
    private func resolve<Result>(
        _ host: String, _ body: (UnsafeBufferPointer<UInt8>, RuleTable.Walk) -> Result?
    ) -> Result? {
        var host = host
        // Most hosts are lower-case ASCII already: use their bytes in place.
        let fast = host.withUTF8 { bytes -> FastPath<Result> in
            switch HostName.scan(bytes) {
            case .invalid: return .done(nil)
            case .needsLowercasing: return .lowercase
            case .needsNormalizing: return .normalize
            case .ready(let end): return .done(walk(UnsafeBufferPointer(rebasing: bytes[..<end]), body))
            }
        }
        switch fast {
        case .done(let result):
            return result
        case .lowercase:
            // ASCII lower-casing cannot bring in a byte that needs more than this.
            var lower = host.lowercased()
            return lower.withUTF8 { bytes in
                let end = bytes.last == 0x2E ? bytes.count - 1 : bytes.count
                return walk(UnsafeBufferPointer(rebasing: bytes[..<end]), body)
            }
        case .normalize:
            guard let normalized = HostName.normalize(host) else { return nil }
            guard let walk = normalized.ace.withUnsafeBufferPointer({ table.walk($0) }) else { return nil }
            var display = normalized.display
            return display.withUTF8 { body($0, walk) }
        }
    }

    /// Walks an ACE host that is also its own display form.
    private func walk<Result>(
        _ ace: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>, RuleTable.Walk) -> Result?
    ) -> Result? {
        guard let walk = table.walk(ace) else { return nil }
        return body(ace, walk)
    }

    private enum FastPath<Result> {
        case done(Result?)
        case lowercase
        case normalize
    }
}
