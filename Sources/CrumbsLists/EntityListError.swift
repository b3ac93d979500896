/// Why an entity or category list file could not be used at all; carries the file's path.
///
/// Bad entries never cause this: they are skipped and counted in the list's `EntityListReport`.
public struct EntityListError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, comparable without the path (`error.code == .unreadable`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Hashable {
            case unreadable
            case notJSON
            case unexpectedShape
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The file is missing or could not be read.
        public static let unreadable = Code(.unreadable)
        /// The file is not valid JSON.
        public static let notJSON = Code(.notJSON)
        /// Valid JSON, but not the list's documented top-level form.
        public static let unexpectedShape = Code(.unexpectedShape)

        public var description: String {
            switch base {
            case .unreadable: "cannot read the file"
            case .notJSON: "not valid JSON"
            case .unexpectedShape: "not the expected list format"
            }
        }
    }

    public let code: Code
    /// The list's name, e.g. `Disconnect entities.json`.
    public let list: String
    public let path: String
    /// The underlying error or what was found instead.
    public let detail: String?

    init(_ code: Code, list: String, path: String, detail: String? = nil) {
        self.code = code
        self.list = list
        self.path = path
        self.detail = detail
    }

    public var description: String {
        let head = "\(list) \(path): \(code)"
        guard let detail else { return head }
        return "\(head) (\(detail))"
    }
}
