import ArgumentParser
import Foundation
import Logging

/// Options every subcommand shares: where data and configuration live, and how much to log.
struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data directory (default: $XDG_DATA_HOME/crumbs).")
    var dataDirectory: String?

    @Option(name: .customLong("config"), help: "Config file (default: $XDG_CONFIG_HOME/crumbs/config.toml).")
    var configPath: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning or error.")
    var logLevel: String?

    func validate() throws {
        if let logLevel, Logger.Level(rawValue: logLevel) == nil {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error")
        }
    }

    /// The config file: the named one must exist; the default one may be absent.
    func loadConfig(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ConfigFile {
        if let configPath { return try ConfigFile(path: configPath) }
        let path = DataPaths.configFile(environment: environment)
        guard FileManager.default.fileExists(atPath: path) else { return ConfigFile() }
        return try ConfigFile(path: path)
    }

    func resolvedDataDirectory(
        config: ConfigFile, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> String {
        if let dataDirectory { return dataDirectory }
        if let configured = try config.string("data-dir") { return DataPaths.expandTilde(configured) }
        return DataPaths.dataDirectory(environment: environment)
    }

    func bootstrapLogging(config: ConfigFile) throws -> Logger.Level {
        let configured = try config.string("log-level")
        if let configured, Logger.Level(rawValue: configured) == nil {
            throw CLIError("config file: log-level must be one of trace, debug, info, notice, warning, error")
        }
        let level = (logLevel ?? configured).flatMap(Logger.Level.init(rawValue:)) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return level
    }
}
