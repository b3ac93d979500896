/// Where Crumbs looks for its list files by default, in order of preference per kind:
/// first `<data-dir>/lists/` (written by `scripts/update-blocklists`, so the user chose them and
/// they are the freshest), then the paths Debian packages install (README §4), then the
/// project's curated list.
///
/// Pure: every root is a parameter and nothing reads the environment; the CLI passes the XDG
/// data directory and the installed `Blocklists/` directory. `resolve(fileExists:)` takes the
/// file test as a closure so tests need no real files. Every source is optional: a missing
/// package only means one list fewer.
public struct ListSources: Sendable, Hashable {
    /// A kind of list file.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case easyList
        case easyPrivacy
        case publicSuffixList
        case disconnectServices
        case disconnectEntities
        case duckDuckGoTrackerData
        case lightbeamEntities
        case privacyBadgerSocialWidgets
        case curatedTrackers
        case curatedEntities
    }

    /// Where a candidate path comes from.
    public enum Origin: Sendable, Hashable {
        /// `<data-dir>/lists/`, filled by `scripts/update-blocklists`.
        case dataDirectory
        /// Installed by the named Debian package.
        case debianPackage(String)
        /// The project's `Blocklists/` directory.
        case curated
    }

    /// One place a list may be.
    public struct Candidate: Sendable, Hashable {
        public var kind: Kind
        public var path: String
        public var origin: Origin
    }

    /// The Crumbs data directory (`$XDG_DATA_HOME/crumbs` or `~/.local/share/crumbs`).
    public var dataDirectory: String
    /// The directory holding `crumbs-trackers.tsv` and `crumbs-entities.tsv`; nil to leave the
    /// curated list out.
    public var curatedDirectory: String?
    /// Prefixed to the Debian paths: "" on a real system, a temporary directory in tests.
    public var systemRoot: String

    public init(dataDirectory: String, curatedDirectory: String?, systemRoot: String = "") {
        self.dataDirectory = dataDirectory
        self.curatedDirectory = curatedDirectory
        self.systemRoot = systemRoot
    }

    /// `<data-dir>/lists`.
    public var listsDirectory: String { dataDirectory + "/lists" }

    /// The file names `scripts/update-blocklists` writes into `<data-dir>/lists/`.
    public static let downloadedFileNames: [Kind: String] = [
        .easyList: "easylist.txt",
        .easyPrivacy: "easyprivacy.txt",
        .publicSuffixList: "public_suffix_list.dat",
        .disconnectServices: "disconnect-services.json",
        .disconnectEntities: "disconnect-entities.json",
        .duckDuckGoTrackerData: "duckduckgo-extension-tds.json",
    ]

    /// The curated list's file names inside `curatedDirectory`.
    public static let curatedFileNames: [Kind: String] = [
        .curatedTrackers: "crumbs-trackers.tsv",
        .curatedEntities: "crumbs-entities.tsv",
    ]

    static let uBlockFirefox =
        "/usr/share/mozilla/extensions/{ec8030f7-c20a-464f-9b0e-13a3a9e97384}/uBlock0@raymondhill.net/assets/thirdparties"
    static let uBlockChromium = "/usr/share/chromium/extensions/ublock-origin/assets/thirdparties"

    /// The Debian-installed files (bookworm, checked with `dpkg -L`), best first per kind. Both
    /// uBlock packages ship byte-identical lists; the uBlock PSL (2025) is newer than the
    /// `publicsuffix` package's (2023), so it comes first.
    public static let debianPaths: [(kind: Kind, package: String, path: String)] = [
        (.easyList, "webext-ublock-origin-firefox", uBlockFirefox + "/easylist/easylist.txt"),
        (.easyList, "webext-ublock-origin-chromium", uBlockChromium + "/easylist/easylist.txt"),
        (.easyPrivacy, "webext-ublock-origin-firefox", uBlockFirefox + "/easylist/easyprivacy.txt"),
        (.easyPrivacy, "webext-ublock-origin-chromium", uBlockChromium + "/easylist/easyprivacy.txt"),
        (
            .publicSuffixList, "webext-ublock-origin-firefox",
            uBlockFirefox + "/publicsuffix.org/list/effective_tld_names.dat"
        ),
        (
            .publicSuffixList, "webext-ublock-origin-chromium",
            uBlockChromium + "/publicsuffix.org/list/effective_tld_names.dat"
        ),
        (.publicSuffixList, "publicsuffix", "/usr/share/publicsuffix/public_suffix_list.dat"),
        (.lightbeamEntities, "webext-lightbeam", "/usr/share/webext/lightbeam/ext-libs/disconnect-entitylist.json"),
        (
            .privacyBadgerSocialWidgets, "webext-privacy-badger",
            "/usr/share/webext/privacy-badger/data/socialwidgets.json"
        ),
    ]

    /// Every place `kind` may be, best first.
    public func candidates(for kind: Kind) -> [Candidate] {
        var found: [Candidate] = []
        if let name = Self.downloadedFileNames[kind] {
            found.append(Candidate(kind: kind, path: listsDirectory + "/" + name, origin: .dataDirectory))
        }
        for entry in Self.debianPaths where entry.kind == kind {
            found.append(Candidate(kind: kind, path: systemRoot + entry.path, origin: .debianPackage(entry.package)))
        }
        if let directory = curatedDirectory, let name = Self.curatedFileNames[kind] {
            found.append(Candidate(kind: kind, path: directory + "/" + name, origin: .curated))
        }
        return found
    }

    /// All candidates of all kinds, in `Kind` order, for `crumbs lists` diagnostics.
    public var allCandidates: [Candidate] { Kind.allCases.flatMap { candidates(for: $0) } }

    /// The first existing candidate of each kind.
    public func resolve(fileExists: (String) -> Bool) -> ResolvedListFiles {
        var chosen: [Kind: Candidate] = [:]
        for kind in Kind.allCases {
            if let first = candidates(for: kind).first(where: { fileExists($0.path) }) { chosen[kind] = first }
        }
        return ResolvedListFiles(chosen: chosen)
    }
}

/// The list files found on this system, one per kind at most.
public struct ResolvedListFiles: Sendable, Hashable {
    public var chosen: [ListSources.Kind: ListSources.Candidate]

    public init(chosen: [ListSources.Kind: ListSources.Candidate]) {
        self.chosen = chosen
    }

    /// The chosen path of `kind`, if any.
    public subscript(kind: ListSources.Kind) -> String? { chosen[kind]?.path }
}
