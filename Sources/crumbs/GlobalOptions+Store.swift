import CrumbsStore
import Foundation

extension GlobalOptions {
    /// The store of an existing data directory, for the commands that read or change what was
    /// recorded. Opening would create an empty store: a mistyped --data-dir must not look like
    /// "no traffic", so a missing database is an error that ends with `hint`.
    func existingStore(
        dataDirectory: String, hint: String = "run `crumbs run` first, or pass --data-dir"
    ) throws -> EventStore {
        let databasePath = dataDirectory + "/crumbs.sqlite"
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw CLIError("no database at \(databasePath): \(hint)")
        }
        do { return try EventStore(path: databasePath) } catch { throw CLIError("\(error)") }
    }
}
