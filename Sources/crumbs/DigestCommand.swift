import ArgumentParser
import CrumbsLists
import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `crumbs digest`: who saw you on a day (or any range), as text, markdown, HTML or JSON.
struct DigestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "digest",
        abstract: "Summarise a day: sites visited, companies that saw you, trackers, trends.",
        discussion: """
            Days are local days. Without --format, the format follows the --out file's extension \
            (.md, .html, .json, .txt), else text on a terminal and markdown otherwise.
            """
    )

    @OptionGroup var global: GlobalOptions
    @OptionGroup var sourceOption: SourceOption
    @OptionGroup var deviceOption: DeviceOption

    @Option(help: "today, yesterday or YYYY-MM-DD (default today).")
    var day: String?

    @Option(help: "Start of a custom range: YYYY-MM-DD, YYYY-MM-DDTHH:MM (local) or ISO 8601 with a zone.")
    var since: String?

    @Option(help: "End of a custom range (exclusive; default now).")
    var until: String?

    @Option(help: "markdown, html, json or text.")
    var format: String?

    @Option(help: "Write to this file instead of stdout.")
    var out: String?

    @Option(help: "en or fr (default: the config file's lang, else LANG, else en).")
    var lang: String?

    @Option(
        name: .customLong("psl"), help: "Public Suffix List file for cookie parties (default: the newest installed).")
    var publicSuffixList: String?

    func validate() throws {
        if day != nil, since != nil || until != nil {
            throw ValidationError("--day cannot be combined with --since/--until")
        }
        if let format, DigestFormat(rawValue: format) == nil {
            throw ValidationError("--format must be one of markdown, html, json, text")
        }
    }

    func run() throws {
        try CLIError.reporting {
            let config = try global.loadConfig()
            let dataDirectory = try global.resolvedDataDirectory(config: config)
            let store = try global.existingStore(dataDirectory: dataDirectory)
            let zone = TimeZone.current
            var period = try self.period(now: Date(), timeZone: zone)
            // The headline says when a digest covers only some of the inputs.
            if let label = sourceOption.label { period.phrase += " (\(label))" }
            let clients = try deviceOption.clients(store: store, dataDirectory: dataDirectory, config: config)
            if let label = deviceOption.label { period.phrase += " (\(label) only)" }
            var digest: Digest
            let pslPath = try publicSuffixList ?? config.string("psl").map(DataPaths.expandTilde)
            do {
                digest = try DigestQuery.digest(
                    store: store, period: period, timeZone: zone, sources: sourceOption.sources, clients: clients
                ) {
                    PublicSuffixFallback.load(path: pslPath, dataDirectory: dataDirectory)
                }
            } catch {
                throw CLIError("\(error)")
            }
            // The levels the store is kept at come from the config file, as `crumbs run` read them.
            digest.recording = try PrivacyOptions.parse([]).recording(config: config)
            let format = resolvedFormat(stdoutIsTerminal: isatty(STDOUT_FILENO) == 1)
            let language = try LanguageOption.resolve(lang, config: config)
            let text = digest.rendered(
                as: format, color: out == nil && format == .text && isatty(STDOUT_FILENO) == 1, language: language)
            if let out {
                do { try text.write(toFile: out, atomically: true, encoding: .utf8) } catch {
                    throw CLIError("cannot write \(out): \(error.localizedDescription)")
                }
            } else {
                FileHandle.standardOutput.write(Data(text.utf8))
            }
        }
    }

    /// The period the options name, relative to `now`.
    func period(now: Date, timeZone: TimeZone) throws -> DigestPeriod {
        let today = Day(containing: now, in: timeZone)
        if since != nil || until != nil {
            let start = try since.map { try Self.parseTime($0, "--since", timeZone) } ?? today.start(in: timeZone)
            let end = try until.map { try Self.parseTime($0, "--until", timeZone) } ?? now
            guard start < end else { throw CLIError("--since must be before --until") }
            return DigestPeriod(start: start, end: end, timeZone: timeZone)
        }
        let chosen: Day
        switch day ?? "today" {
        case "today": chosen = today
        case "yesterday": chosen = today.adding(days: -1)
        case let text:
            guard let parsed = Day(text) else { throw CLIError("--day \(text) is not today, yesterday or YYYY-MM-DD") }
            chosen = parsed
        }
        return DigestPeriod(day: chosen, today: today, timeZone: timeZone)
    }

    func resolvedFormat(stdoutIsTerminal: Bool) -> DigestFormat {
        if let format, let chosen = DigestFormat(rawValue: format) { return chosen }
        if let out {
            let ext = URL(fileURLWithPath: out).pathExtension.lowercased()
            if let match = DigestFormat.allCases.first(where: { $0.fileExtension == ext }) { return match }
            return .markdown
        }
        return stdoutIsTerminal ? .text : .markdown
    }

    /// `YYYY-MM-DD` (local midnight), `YYYY-MM-DDTHH:MM[:SS]` (local) or ISO 8601 with a zone.
    static func parseTime(_ text: String, _ option: String, _ timeZone: TimeZone) throws -> Date {
        if let day = Day(text) { return day.start(in: timeZone) }
        let iso = ISO8601DateFormatter()
        if let date = iso.date(from: text) { return date }
        let local = DateFormatter()
        local.locale = Locale(identifier: "en_US_POSIX")
        local.timeZone = timeZone
        for pattern in ["yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm"] {
            local.dateFormat = pattern
            if let date = local.date(from: text) { return date }
        }
        throw CLIError("\(option) \(text) is not YYYY-MM-DD, YYYY-MM-DDTHH:MM or an ISO 8601 time")
    }
}
