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

extension PublicSuffixFallback {
    /// The suffix list named (`--psl` or `psl`), else the newest one installed, else the built-in
    /// one, said loudly: its subset groups hosts under unknown suffixes into the wrong sites.
    static func load(path: String?, dataDirectory: String) -> PublicSuffixList {
        let sources = ListSources(dataDirectory: dataDirectory, curatedDirectory: nil)
        let found = path ?? sources.resolve { FileManager.default.isReadableFile(atPath: $0) }[.publicSuffixList]
        guard let found else {
            PublicSuffixFallback.warn(because: "no Public Suffix List file is installed")
            return .builtIn
        }
        do {
            return try PublicSuffixList(contentsOf: URL(fileURLWithPath: found))
        } catch {
            PublicSuffixFallback.warn(because: "\(error)")
            return .builtIn
        }
    }
}
