import CrumbsModel
import CrumbsReports
import CrumbsService
import CrumbsStore
import Foundation
import Logging

extension RunOptions {
    /// The daily digest writer `crumbs run` starts, from `--digest-at` / `digest-at` and
    /// `--digest-command` / `digest-command`; nil when `digest-at` is `off`.
    func digestScheduler(
        config: ConfigFile, dataDirectory: String, store: @escaping @Sendable () -> EventStore?,
        resolver: any SiteResolver, timeZone: TimeZone = .current
    ) throws -> DigestScheduler? {
        let time = try digestAt ?? config.string("digest-at") ?? "00:05"
        if time == "off" { return nil }
        guard let schedule = DigestSchedule(time: time, timeZone: timeZone) else {
            throw CLIError("--digest-at \(time) must be HH:MM (24-hour local time) or off")
        }
        let command = try digestCommand ?? config.string("digest-command")
        var scheduler = DigestScheduler(
            schedule: schedule, store: store,
            directory: dataDirectory + "/digests", command: command?.isEmpty == true ? nil : command,
            resolver: resolver,
            logger: Logger(label: "crumbs.digest"))
        scheduler.perDevice = try digestPerDevice || (config.bool("digest-per-device") ?? false)
        scheduler.language = try LanguageOption.resolve(lang, config: config)
        return scheduler
    }
}
