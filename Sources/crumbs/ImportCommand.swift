import ArgumentParser
import CrumbsImport
import CrumbsIngest
import CrumbsLists
import CrumbsModel
import CrumbsStore
import Foundation

/// `crumbs import`: recordings made elsewhere (HAR files from any browser's devtools or tool)
/// through the same pipeline as the proxy's traffic, so every report covers them.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import HAR recordings (.har, .har.gz, .zip; - for standard input).",
        discussion: """
            Each file is imported in one transaction: all of it or, on an error, nothing. The \
            format is told from the first bytes, not the name. A file already imported (same \
            SHA-256) is left alone. Cookie values, query strings (unless --keep-query) and bodies \
            are never stored, exactly as for the proxy.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var listOptions: ListOptions

    @Argument(help: "HAR files; - reads standard input.")
    var paths: [String]

    @Flag(help: "Read and classify, print what would be imported, write nothing.")
    var dryRun = false

    @Option(help: "Label the events' client with this device name (default: har).")
    var device: String?

    @Flag(name: .customLong("keep-query"), help: "Record query strings (off by default: they often carry identifiers).")
    var keepQuery = false

    @OptionGroup var privacy: PrivacyOptions

    func validate() throws {
        if let device, device.isEmpty || device.count > 64 || device.contains(where: \.isNewline) {
            throw ValidationError("--device: a name of 1 to 64 characters on one line")
        }
        if paths.filter({ $0 == "-" }).count > 1 { throw ValidationError("standard input (-) can be read only once") }
    }

    func run() throws {
        var failed = false
        try CLIError.reporting {
            let config = try global.loadConfig()
            let dataDirectory = try global.resolvedDataDirectory(config: config)
            let catalog = try listOptions.catalog(config: config, dataDirectory: dataDirectory)
            // The suffix list now (events are built with it); the rest while reading starts.
            let suffixes = catalog.loadPublicSuffixes()
            for warning in suffixes.warnings { Self.printError("warning: \(warning)") }
            let background = BackgroundLists(catalog, publicSuffixes: suffixes.list)
            let classifier = EventClassifier(
                lists: LoadedLists(
                    publicSuffixes: suffixes.list, filters: FilterEngine(lists: []), entities: .empty))
            let listsReady = {
                for warning in background.install(into: classifier) ?? [] { Self.printError("warning: \(warning)") }
            }
            let store: EventStore
            if dryRun {
                store = try EventStore.inMemory()
            } else {
                _ = try DataDirectory.prepare(dataDirectory)
                store = try EventStore(path: dataDirectory + "/crumbs.sqlite")
            }
            // A dry run writes nothing, not even a new key: hashes it makes are never stored.
            let secret =
                dryRun && !FileManager.default.fileExists(atPath: dataDirectory + "/" + InstallSecret.fileName)
                ? Data((0..<32).map { _ in UInt8.random(in: 0...255) })
                : try InstallSecret.load(dataDirectory: dataDirectory)
            let builder = EventBuilder(
                siteResolver: suffixes.list, keepQuery: try keepQuery || (config.bool("keep-query") ?? false),
                hasher: CookieHasher(secret: secret))
            let policy = try privacy.policy(config: config, secret: secret, resolver: suffixes.list)
            let run = ImportRun(
                store: store, builder: builder,
                stage: IngestStage(classifier: classifier, policy: policy), listsReady: listsReady,
                device: device ?? "har", dryRun: dryRun, showsProgress: isatty(STDERR_FILENO) == 1)
            for path in paths {
                do {
                    let outcome = try run.importFile(path)
                    print(outcome.report(dryRun: dryRun))
                    // A broken capture keeps what came before the break, and still fails the command.
                    if outcome.captureError != nil { failed = true }
                } catch {
                    failed = true
                    Self.printError("crumbs: \(error)")
                }
            }
            // The lists' warnings, even when no file gave an event to classify.
            listsReady()
        }
        if failed { throw ExitCode.failure }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
