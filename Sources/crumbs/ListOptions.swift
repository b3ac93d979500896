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
        let curated = BlocklistsLocator.directory()
        if curated == nil, useDefaults {
            FileHandle.standardError.write(
                Data(
                    ("warning: Crumbs' curated tracker list (Blocklists/) was not found beside \(BlocklistsLocator.runningExecutable), "
                        + "in <prefix>/share/crumbs or in /usr/share/crumbs; only the other lists are used\n").utf8))
        }
        let sources = ListSources(dataDirectory: dataDirectory, curatedDirectory: curated)
        return ListCatalog(
            sources: sources, userLists: named.map(DataPaths.expandTilde), useDefaults: useDefaults,
            publicSuffixPath: psl.map(DataPaths.expandTilde)
        )
    }
}

/// Finds the project's curated `Blocklists/` directory: beside the executable or above it (a
/// build inside the source tree), in `<prefix>/share/crumbs` for an executable in `<prefix>/bin`,
/// or where a package installs it. The executable is found from `/proc/self/exe`, not from
/// `argv[0]`, which is a bare name when run from PATH and a symlink's path when run through one.
enum BlocklistsLocator {
    static func directory(executable: String = runningExecutable) -> String? {
        var candidates: [URL] = []
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        var folder = binary.deletingLastPathComponent()
        for _ in 0..<6 {
            candidates.append(folder.appendingPathComponent("Blocklists"))
            folder.deleteLastPathComponent()
        }
        candidates.append(
            binary.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent(
                "share/crumbs/Blocklists"))
        candidates.append(URL(fileURLWithPath: "/usr/share/crumbs/Blocklists"))
        return candidates.first {
            FileManager.default.fileExists(atPath: $0.appendingPathComponent("crumbs-trackers.tsv").path)
        }?.path
    }

    /// This process's executable: `/proc/self/exe` where there is one, else `argv[0]`.
    static var runningExecutable: String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
    }
}
