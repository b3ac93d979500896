import Foundation

/// Where Crumbs keeps its files, by the XDG base directory rules.
enum DataPaths {
    static func dataDirectory(environment: [String: String]) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/crumbs" }
        return home(environment) + "/.local/share/crumbs"
    }

    static func configFile(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], xdg.hasPrefix("/") { return xdg + "/crumbs/config.toml" }
        return home(environment) + "/.config/crumbs/config.toml"
    }

    static func expandTilde(_ path: String) -> String {
        guard path.hasPrefix("~/") else { return path }
        return home(ProcessInfo.processInfo.environment) + path.dropFirst()
    }

    private static func home(_ environment: [String: String]) -> String {
        environment["HOME"] ?? NSHomeDirectory()
    }
}
