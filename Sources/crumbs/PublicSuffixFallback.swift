import CrumbsLists
import Foundation

/// Says, on stderr, that the built-in subset of the Public Suffix List is in use: sites under
/// suffixes it lacks are grouped wrong (all of `*.someplatform.example` as one site, say), and the
/// reader of a digest or graph must know the numbers rest on it.
enum PublicSuffixFallback {
    static func warn(because reason: String) {
        let rules = PublicSuffixList.builtIn.report.rulesKept
        FileHandle.standardError.write(
            Data(
                ("warning: \(reason); using Crumbs' built-in subset of the Public Suffix List (\(rules) rules), "
                    + "so sites under other suffixes may be grouped wrong. Install Debian's publicsuffix "
                    + "package or give --psl FILE.\n").utf8))
    }
}
