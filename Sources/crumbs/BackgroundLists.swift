import CrumbsLists
import Dispatch
import Foundation

/// Filter and entity lists loading on a thread of their own while an import starts reading
/// (a quarter of a second with Debian's lists: a quarter of a 1 GB capture's import). The
/// classifier gets them before it judges its first event.
// @unchecked: `result` is written once, before `group` is left, and read only after waiting on it.
final class BackgroundLists: @unchecked Sendable {
    private let group = DispatchGroup()
    private var result: (lists: LoadedLists, warnings: [String])?
    private let installed = NSLock()
    private var didInstall = false

    init(_ catalog: ListCatalog, publicSuffixes: PublicSuffixList) {
        group.enter()
        DispatchQueue.global().async { [self] in
            let loaded = catalog.load(publicSuffixes: publicSuffixes)
            result = (loaded.lists, loaded.warnings)
            group.leave()
        }
    }

    /// Waits for the lists and gives them to `classifier`, once; returns the warnings the first
    /// time (nil afterwards).
    func install(into classifier: EventClassifier) -> [String]? {
        group.wait()
        return installed.withLock {
            guard !didInstall, let result else { return nil }
            didInstall = true
            classifier.reload(result.lists)
            return result.warnings
        }
    }
}
