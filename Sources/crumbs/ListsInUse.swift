import CrumbsDashboard
import CrumbsLists
import Foundation
import Synchronization

/// The lists `crumbs run` loaded, as the dashboard's lists page shows them; every reload (SIGHUP,
/// `crumbs lists reload`, the page's button) replaces them.
final class ListsInUse: Sendable {
    private let state = Mutex(DashboardLists(lists: [], warnings: [], loaded: Date()))

    var current: DashboardLists { state.withLock { $0 } }

    func update(_ entries: [ListCatalog.Entry], warnings: [String]) {
        let lists = entries.map {
            DashboardList(
                name: $0.name, kind: $0.kind, path: $0.path, source: $0.origin, licence: $0.licence,
                modified: $0.modified, counts: $0.counts, skipped: $0.skipped, skippedLines: $0.skippedLines)
        }
        state.withLock { $0 = DashboardLists(lists: lists, warnings: warnings, loaded: Date()) }
    }
}
