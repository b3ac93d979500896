import ArgumentParser
import CrumbsLists
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `crumbs lists`: every list source with path, date, licence, rule counts and skipped lines.
struct ListsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lists",
        abstract: "Show the tracker lists Crumbs loads, or reload them in the running proxy.",
        subcommands: [Show.self, Reload.self],
        defaultSubcommand: Show.self
    )

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Show every loaded list.")

        @OptionGroup var global: GlobalOptions
        @OptionGroup var listOptions: ListOptions
        @Flag(help: "List every skipped line with its line number and reason.") var verbose = false
        @Flag(help: "Print the lists as JSON, for scripts (skipped lines with --verbose).") var json = false

        func run() throws {
            try CLIError.reporting {
                let config = try global.loadConfig()
                let dataDirectory = try global.resolvedDataDirectory(config: config)
                let (_, entries, warnings) = try listOptions.catalog(config: config, dataDirectory: dataDirectory)
                    .load()
                for warning in warnings { FileHandle.standardError.write(Data("warning: \(warning)\n".utf8)) }
                if json {
                    print(try ListsJSON.render(entries, warnings: warnings, withSkippedLines: verbose))
                    return
                }
                if entries.isEmpty { print("No lists loaded: only the built-in public suffix list is in use.") }
                let dates = DateFormatter()
                dates.dateFormat = "yyyy-MM-dd"
                for entry in entries {
                    print("\(entry.name)  [\(entry.kind)]")
                    print("  path:     \(entry.path)")
                    print("  source:   \(entry.origin)")
                    print(
                        "  date:     \(entry.modified.map(dates.string(from:)) ?? "unknown")   licence: \(entry.licence)"
                    )
                    print("  rules:    " + entry.counts.map { "\($0.0) \($0.1)" }.joined(separator: ", "))
                    print("  skipped:  \(entry.skipped)")
                    if verbose {
                        for line in entry.skippedLines { print("    \(line)") }
                    }
                }
            }
        }
    }

    struct Reload: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "reload", abstract: "Make the running `crumbs run` reload its lists (same as SIGHUP).")

        @OptionGroup var global: GlobalOptions

        func run() throws {
            try CLIError.reporting {
                let dataDirectory = try global.resolvedDataDirectory(config: try global.loadConfig())
                let pid = try PidFile.runningProcess(dataDirectory: dataDirectory)
                guard kill(pid, SIGHUP) == 0 else {
                    throw CLIError("cannot signal crumbs (pid \(pid)): \(String(cString: strerror(errno)))")
                }
                print("asked crumbs (pid \(pid)) to reload its lists")
            }
        }
    }
}

extension CLIError {
    /// Runs `body`; a CLIError becomes one line on stderr and a failure exit code.
    static func reporting(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("crumbs: \(error.description)\n".utf8))
            throw ExitCode.failure
        }
    }
}
