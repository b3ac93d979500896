import ArgumentParser
import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation
import Logging

#if canImport(Glibc)
    import Glibc
#endif

/// `crumbs forget`: deletes what the store recorded about a site, a device, a period, a source or
/// an import, and scrubs the bytes from the files (database, its log, digests).
struct ForgetCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "forget",
        abstract: "Delete recorded events (by site, device, period, source or import) and scrub them from disk.",
        discussion: """
            Conditions combine: --site news.example --before 2026-12-01 forgets that site's events \
            before that day. Deleted rows are overwritten with zeros (SQLite secure_delete), the \
            database is rebuilt with VACUUM and its write-ahead log truncated, and the digests of \
            the days concerned are written again from what remains (or removed when nothing \
            remains). Works while `crumbs run` is running. Asks for confirmation on a terminal \
            unless --yes.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var deviceOption: DeviceOption

    @Option(help: "Every event whose host or first-party site is this name or under it.")
    var site: String?

    @Option(help: "Events before this day or time (YYYY-MM-DD, YYYY-MM-DDTHH:MM or ISO 8601).")
    var before: String?

    @Option(help: "Events from this day or time on.")
    var since: String?

    @Option(help: "Events before this day or time (same as --before).")
    var until: String?

    @Option(help: "Events from one source: proxy, har or capture.")
    var source: String?

    @Option(name: .customLong("import"), help: "Events of this import (its id, from `crumbs import` or the store).")
    var importID: Int64?

    @Flag(help: "Everything: every event, import, device name, cookie finding and digest.")
    var all = false

    @Flag(name: .customLong("dry-run"), help: "Count what would be forgotten; change nothing.")
    var dryRun = false

    @Flag(help: "Do not ask for confirmation.")
    var yes = false

    func validate() throws {
        if before != nil, until != nil { throw ValidationError("--before and --until mean the same: give one") }
        if let source, !["proxy", "har", "capture"].contains(source) {
            throw ValidationError("--source must be one of proxy, har, capture")
        }
        if let site, site.isEmpty || site.contains(where: { $0.isWhitespace || $0 == "/" }) {
            throw ValidationError("--site takes a host or domain name, such as news.example.com")
        }
        let conditions: [Any?] = [
            site, before, since, until, source, importID, deviceOption.device, deviceOption.client,
        ]
        if all, conditions.contains(where: { $0 != nil }) {
            throw ValidationError("--all forgets everything: it takes no other condition")
        }
        if !all, conditions.allSatisfy({ $0 == nil }) {
            throw ValidationError(
                "say what to forget: --site, --device, --client, --before, --since/--until, --source, --import or --all"
            )
        }
    }

    func run() throws {
        var nothing = false
        try CLIError.reporting {
            let config = try global.loadConfig()
            let dataDirectory = try global.resolvedDataDirectory(config: config)
            let store = try global.existingStore(
                dataDirectory: dataDirectory, hint: "nothing recorded, nothing to forget")
            let zone = TimeZone.current
            let selection = try self.selection(store: store, dataDirectory: dataDirectory, config: config, zone: zone)
            let suffixListPath = try config.string("psl").map(DataPaths.expandTilde)
            let forgetting = Forgetting(
                store: store, digests: DigestFiles(directory: dataDirectory + "/digests"), zone: zone,
                resolver: { PublicSuffixFallback.load(path: suffixListPath, dataDirectory: dataDirectory) })
            // The preview is for people: a dry run, or a question on a terminal. With --yes the
            // forget's own transaction counts (the selection is evaluated once, not twice).
            if dryRun || (!yes && isatty(STDIN_FILENO) == 1) {
                let preview: (report: ForgetReport, digestDays: Set<Day>)
                do { preview = try forgetting.preview(selection) } catch { throw CLIError("\(error)") }
                print(Self.describe(preview.report, digestDays: preview.digestDays.count, dryRun: dryRun))
                if preview.report.isEmpty && preview.digestDays.isEmpty {
                    nothing = true
                    return
                }
                if dryRun { return }
                if !Self.confirm() {
                    print("Nothing forgotten.")
                    return
                }
            }
            let outcome: Forgetting.Outcome
            do {
                outcome = try forgetting.forget(
                    selection, forgetsDevices: all || deviceOption.device != nil || deviceOption.client != nil)
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("\(error)")
            }
            guard let scrub = outcome.scrub else {
                nothing = true
                return
            }
            let report = outcome.report
            let rewritten = outcome.rewritten
            print(Self.describe(report, digestDays: 0, prefix: "Forgotten: "))
            print(
                "Digests rewritten for \(rewritten.rewritten) days, removed for "
                    + "\(rewritten.removed); database scrubbed (secure delete, VACUUM"
                    + (scrub.walTruncated
                        ? ", log truncated"
                        : "; the log is truncated at the next checkpoint: "
                            + "another process was reading") + ") in \(String(format: "%.1f", scrub.seconds)) s, "
                    + "\(Self.mebibytes(scrub.bytesBefore)) → \(Self.mebibytes(scrub.bytesAfter)).")
        }
        if nothing {
            FileHandle.standardError.write(Data("crumbs: nothing matches: nothing was deleted\n".utf8))
            throw ExitCode.failure
        }
    }

    func selection(store: EventStore, dataDirectory: String, config: ConfigFile, zone: TimeZone) throws
        -> EventSelection
    {
        if all { return EventSelection(everything: true) }
        let upper = try (before ?? until).map {
            try DigestCommand.parseTime($0, before != nil ? "--before" : "--until", zone)
        }
        let lower = try since.map { try DigestCommand.parseTime($0, "--since", zone) }
        if let lower, let upper, lower >= upper { throw CLIError("--since must be before --until") }
        let sources = SourceOption.sources(named: source)
        return EventSelection(
            site: site, clients: try deviceOption.clients(store: store, dataDirectory: dataDirectory, config: config),
            since: lower, until: upper, sources: sources, importID: importID)
    }

    static func describe(_ report: ForgetReport, digestDays: Int, dryRun: Bool) -> String {
        describe(report, digestDays: digestDays, prefix: dryRun ? "Would forget: " : "To forget: ")
    }

    static func describe(_ report: ForgetReport, digestDays: Int, prefix: String) -> String {
        var parts = [
            "\(report.events) events (\(report.cookiesSent) cookies sent, \(report.cookiesSet) set, "
                + "\(report.urlTokens) URL tokens)"
        ]
        if report.referencesCleared > 0 {
            parts.append("the Referer/Origin site of \(report.referencesCleared) others")
        }
        if report.imports > 0 { parts.append("\(report.imports) import records") }
        if !report.cookieFindingDays.isEmpty {
            parts.append("cookie findings of \(report.cookieFindingDays.count) days")
        }
        if digestDays > 0 { parts.append("the digests of \(digestDays) days (written again from what remains)") }
        return prefix + parts.joined(separator: "; ") + "."
    }

    static func confirm() -> Bool {
        FileHandle.standardOutput.write(Data("Forget this for good? [y/N] ".utf8))
        guard let answer = readLine() else { return false }
        return ["y", "yes", "o", "oui"].contains(answer.trimmingCharacters(in: .whitespaces).lowercased())
    }

    static func mebibytes(_ bytes: Int64) -> String { String(format: "%.1f MiB", Double(bytes) / 1_048_576) }
}
