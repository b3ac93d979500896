import ArgumentParser
import CrumbsLists
import Foundation

/// The list flags `run`, `classify` and `lists` share. Config keys: `list`, `no-default-lists`, `psl`.
struct ListOptions: ParsableArguments {
    @Option(
        name: .customLong("list"),
        help: "Also use this filter list (Adblock Plus syntax, hosts file or domain list; repeatable).")
    var lists: [String] = []

    @Flag(name: .customLong("no-default-lists"), help: "Use only the lists named with --list (and --psl).")
    var noDefaultLists = false

    @Option(
        name: .customLong("psl"),
        help: "Public Suffix List file (default: the newest one installed, else a built-in one).")
    var publicSuffixList: String?

    /// The catalog of list files to load, from flags over the config file over the defaults.
    func catalog(config: ConfigFile, dataDirectory: String) throws -> ListCatalog {
        let named = lists.isEmpty ? try config.strings("list") ?? [] : lists
        let useDefaults = !(try noDefaultLists || (config.bool("no-default-lists") ?? false))
        let psl = try publicSuffixList ?? config.string("psl")
        let sources = ListSources(dataDirectory: dataDirectory, curatedDirectory: BlocklistsLocator.directory())
        return ListCatalog(
            sources: sources, userLists: named.map(DataPaths.expandTilde), useDefaults: useDefaults,
            publicSuffixPath: psl.map(DataPaths.expandTilde)
        )
    }
}

/// Finds the project's curated `Blocklists/` directory: beside the executable or above it (a
/// build inside the source tree), or where a package installs it.
enum BlocklistsLocator {
    static func directory(executable: String = CommandLine.arguments[0]) -> String? {
        var candidates: [URL] = []
        var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("Blocklists"))
            folder.deleteLastPathComponent()
        }
        candidates.append(URL(fileURLWithPath: "/usr/share/crumbs/Blocklists"))
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("crumbs-trackers.tsv").path)
        }?.path
    }
}
