import CrumbsReports
import Foundation

/// The language of what Crumbs writes for people: `--lang`, else the config file's `lang`, else
/// the environment (`LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`), else English.
enum LanguageOption {
    static func resolve(_ flag: String?, config: ConfigFile) throws -> Language {
        if let flag {
            guard let language = Language(tag: flag) else {
                throw CLIError("--lang must be en or fr (not \(flag))")
            }
            return language
        }
        if let configured = try config.string("lang") {
            guard let language = Language(tag: configured) else {
                throw CLIError("lang in the config file must be en or fr (not \(configured))")
            }
            return language
        }
        return Language.from(environment: ProcessInfo.processInfo.environment)
    }
}
