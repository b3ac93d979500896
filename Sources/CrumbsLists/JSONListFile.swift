import Foundation

/// Reads a JSON list file into Foundation objects. `JSONSerialization` rather than `Codable`:
/// the parsers walk the tree by hand so that one malformed entry is skipped and counted instead
/// of failing the whole decode.
enum JSONListFile {
    static func read(_ url: URL, list: String) throws(EntityListError) -> Any {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw EntityListError(.unreadable, list: list, path: url.path, detail: Self.reason(error))
        }
        return try parse(data, list: list, path: url.path)
    }

    static func parse(_ data: Data, list: String, path: String) throws(EntityListError) -> Any {
        do {
            return try JSONSerialization.jsonObject(with: data, options: [])
        } catch {
            throw EntityListError(.notJSON, list: list, path: path, detail: Self.reason(error))
        }
    }

    /// The top-level object, or an error saying what was found instead.
    static func object(_ json: Any, list: String, path: String) throws(EntityListError) -> [String: Any] {
        guard let object = json as? [String: Any] else {
            throw EntityListError(.unexpectedShape, list: list, path: path, detail: "top level is not an object")
        }
        return object
    }

    /// A short reason: Foundation's `localizedDescription` on Linux is often just "The operation
    /// could not be completed", so the underlying POSIX error is preferred when there is one.
    static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return underlying.localizedDescription
        }
        return nsError.localizedDescription
    }

    /// Keys in a stable order: `JSONSerialization` loses the file's order, and "the first entity
    /// wins" must not depend on hashing.
    static func sortedKeys(_ object: [String: Any]) -> [String] {
        object.keys.sorted()
    }
}
