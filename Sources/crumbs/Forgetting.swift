import CrumbsModel
import CrumbsReports
import CrumbsStore
import Foundation

/// Forgetting as `crumbs forget` and the dashboard's forget form both do it: the store's rows
/// deleted and scrubbed (secure delete, VACUUM, log truncated), device names dropped with their
/// devices, and the digests of the days concerned written again from what remains.
struct Forgetting {
    let store: EventStore
    let digests: DigestFiles
    let zone: TimeZone
    let resolver: @Sendable () throws -> any SiteResolver

    struct Outcome {
        var report: ForgetReport
        var scrub: ScrubReport?
        var rewritten: (rewritten: Int, removed: Int)
    }

    /// The digests a forget of `selection` concerns, given what it removed.
    func digestDays(_ selection: EventSelection, _ report: ForgetReport) throws -> Set<Day> {
        let existing = try digests.days()
        if selection.everything { return existing }
        let mentioning = try selection.site.map { try digests.days(mentioning: EventSelection.normalised($0)) } ?? []
        return Set(report.days).union(mentioning).intersection(existing)
    }

    /// What a forget would remove, and the digests it would write again.
    func preview(_ selection: EventSelection) throws -> (report: ForgetReport, digestDays: Set<Day>) {
        let report = try store.forgetPreview(selection, timeZone: zone)
        return (report, try digestDays(selection, report))
    }

    /// Forgets; nil scrub when nothing matched.
    func forget(_ selection: EventSelection, forgetsDevices: Bool) throws -> Outcome {
        let report = try store.forget(selection, timeZone: zone)
        let days = try digestDays(selection, report)
        if report.isEmpty && days.isEmpty { return Outcome(report: report, scrub: nil, rewritten: (0, 0)) }
        if forgetsDevices { try store.removeDeviceNames(clients: selection.clients ?? []) }
        let scrub = try store.scrub(vacuum: true)
        let rewritten = try digests.refresh(
            days: days, removeAll: selection.everything, store: store, zone: zone, resolver: try resolver())
        return Outcome(report: report, scrub: scrub, rewritten: (rewritten.rewritten, rewritten.removed))
    }
}
