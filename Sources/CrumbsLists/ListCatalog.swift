import Foundation

/// Loads every list Crumbs uses — the defaults found on this system and the files the user
/// named — into `LoadedLists`, with a report of what each file gave and what was skipped.
/// A missing or unreadable list is a warning naming the file; the others still load.
public struct ListCatalog: Sendable {
    /// One loaded file, for `crumbs lists`.
    public struct Entry: Sendable {
        public var name: String
        public var path: String
        public var kind: String
        /// Where it came from: "data directory", "Debian package X", "curated", "named by you".
        public var origin: String
        /// Licence, as far as the kind tells.
        public var licence: String
        public var modified: Date?
        /// Counts by kind of rule or entry (`block`, `exception`, `host`, `kept`…).
        public var counts: [(String, Int)]
        public var skipped: Int
        /// Skipped lines with line numbers and reasons (filter lists: all; entity lists: samples).
        public var skippedLines: [String]
    }

    public var publicSuffixPath: String?
    public var filterFiles: [(path: String, origin: String)]
    public var entityFiles: ResolvedListFiles
    public var origins: [String: String]

    /// `sources` finds the defaults; `userLists` are filter lists the user named (`--list`);
    /// `useDefaults: false` keeps only those (and the built-in suffix list, unless `--psl`).
    public init(
        sources: ListSources, userLists: [String], useDefaults: Bool, publicSuffixPath: String?,
        fileExists: (String) -> Bool = { FileManager.default.isReadableFile(atPath: $0) }
    ) {
        let resolved = useDefaults ? sources.resolve(fileExists: fileExists) : ResolvedListFiles(chosen: [:])
        var origins: [String: String] = [:]
        for candidate in resolved.chosen.values { origins[candidate.path] = Self.describe(candidate.origin) }
        self.publicSuffixPath = publicSuffixPath ?? resolved[.publicSuffixList]
        var filters: [(String, String)] = []
        for kind in [ListSources.Kind.easyPrivacy, .easyList] {
            if let candidate = resolved.chosen[kind] {
                filters.append((candidate.path, Self.describe(candidate.origin)))
            }
        }
        for path in userLists {
            filters.append((path, "named by you"))
            origins[path] = "named by you"
        }
        if let publicSuffixPath { origins[publicSuffixPath] = "named by you" }
        self.filterFiles = filters
        self.entityFiles = resolved
        self.origins = origins
    }

    /// Reads and compiles everything. Never throws: problems become `warnings`.
    public func load() -> (lists: LoadedLists, entries: [Entry], warnings: [String]) {
        let suffixes = loadPublicSuffixes()
        let rest = load(publicSuffixes: suffixes.list)
        return (rest.lists, suffixes.entries + rest.entries, suffixes.warnings + rest.warnings)
    }

    /// The Public Suffix List alone (fast): what builds events, before the rest has loaded.
    public func loadPublicSuffixes() -> (list: PublicSuffixList, entries: [Entry], warnings: [String]) {
        var warnings: [String] = []
        var entries: [Entry] = []
        var publicSuffixes = PublicSuffixList.builtIn
        if let path = publicSuffixPath {
            do {
                publicSuffixes = try PublicSuffixList(contentsOf: URL(fileURLWithPath: path))
                entries.append(
                    Entry(
                        name: URL(fileURLWithPath: path).lastPathComponent, path: path, kind: "public suffix list",
                        origin: origins[path] ?? "", licence: "MPL-2.0", modified: Self.modified(path),
                        counts: [("rules", publicSuffixes.report.rulesKept)],
                        skipped: publicSuffixes.report.linesSkipped,
                        skippedLines: publicSuffixes.report.skippedSamples.map {
                            "\($0.lineNumber): \($0.reason.rawValue): \($0.text)"
                        }
                    ))
            } catch {
                warnings.append("\(error); using the built-in suffix list")
            }
        }
        return (publicSuffixes, entries, warnings)
    }

    /// The filter and entity lists, judged with `publicSuffixes` (from `loadPublicSuffixes`).
    public func load(publicSuffixes: PublicSuffixList) -> (lists: LoadedLists, entries: [Entry], warnings: [String]) {
        var warnings: [String] = []
        var entries: [Entry] = []
        var filterLists: [FilterList] = []
        for (path, origin) in filterFiles {
            do {
                let list = try FilterList(contentsOf: URL(fileURLWithPath: path))
                if let generic = list.skippedCounts[.tooGeneric] {
                    let first = list.skippedLines.first { $0.reason == .tooGeneric }
                    warnings.append(
                        "\(path): \(generic) rules skipped as too generic (they would match almost every URL), "
                            + "first at line \(first?.line ?? 0): \(first?.text ?? "")")
                }
                filterLists.append(list)
                entries.append(Self.entry(for: list, path: path, origin: origin))
            } catch {
                warnings.append("\(error)")
            }
        }
        let entityLoad = EntityMap.load(entityFiles, publicSuffixes: publicSuffixes)
        warnings += entityLoad.errors.map(\.description)
        for report in entityLoad.reports {
            let path = report.path ?? ""
            entries.append(
                Entry(
                    name: report.list, path: path, kind: "entity / category list", origin: origins[path] ?? "",
                    licence: Self.licence(ofEntityList: report.list), modified: Self.modified(path),
                    counts: [("kept", report.kept)], skipped: report.skipped,
                    skippedLines: report.skippedSamples.map { "\($0.location): \($0.reason): \($0.text)" }
                ))
        }
        let lists = LoadedLists(
            publicSuffixes: publicSuffixes, filters: FilterEngine(lists: filterLists), entities: entityLoad.map
        )
        return (lists, entries, warnings)
    }

    private static func entry(for list: FilterList, path: String, origin: String) -> Entry {
        let counts = list.counts
        return Entry(
            name: list.name, path: path, kind: "filter list (\(list.format.rawValue))", origin: origin,
            licence: licence(ofFilterList: list.name), modified: modified(path),
            counts: [
                ("block", counts.blockRules), ("exception", counts.exceptionRules),
                ("host-anchored", counts.hostAnchored),
                ("regex", counts.regex), ("important", counts.important), ("badfilter", counts.badfilter),
                ("hosts entries", counts.hostsEntries),
            ].filter { $0.1 > 0 },
            skipped: counts.skipped,
            skippedLines: list.skippedLines.map { "\($0.line): \($0.reason): \($0.text)" }
        )
    }

    private static func describe(_ origin: ListSources.Origin) -> String {
        switch origin {
        case .dataDirectory: "data directory (scripts/update-blocklists)"
        case .debianPackage(let package): "Debian package \(package)"
        case .curated: "Crumbs curated list"
        }
    }

    private static func licence(ofFilterList name: String) -> String {
        let lower = name.lowercased()
        return lower.contains("easylist") || lower.contains("easyprivacy")
            ? "GPL-3+ or CC-BY-SA-3.0+" : "as its author says"
    }

    private static func licence(ofEntityList name: String) -> String {
        let lower = name.lowercased()
        if lower.contains("crumbs") { return "same as Crumbs" }
        if lower.contains("badger") || lower.contains("socialwidget") { return "GPL-3+" }
        if lower.contains("lightbeam") { return "MPL-2.0 (Debian), GPL-3 data" }
        if lower.contains("duckduckgo") || lower.contains("disconnect") { return "CC BY-NC-SA 4.0 (user-supplied)" }
        return "unknown"
    }

    private static func modified(_ path: String) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: path))?[.modificationDate] as? Date
    }
}
