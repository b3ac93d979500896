/// Why a Public Suffix List file could not be used; carries the file's path.
///
/// Bad lines never cause this: they are skipped and counted in `PublicSuffixList.LoadReport`.
public struct PublicSuffixListError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, comparable without the path (`error.code == .unreadable`).
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Hashable {
            case unreadable
            case notText
            case noRules
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The file could not be opened or read.
        public static let unreadable = Code(.unreadable)
        /// The file is binary (compressed, or not a list at all).
        public static let notText = Code(.notText)
        /// The file was read but held no usable rule, so it is not a Public Suffix List.
        public static let noRules = Code(.noRules)

        public var description: String {
            switch base {
            case .unreadable: "cannot read the file"
            case .notText: "not a text file"
            case .noRules: "no public suffix rule in the file"
            }
        }
    }

    public let code: Code
    public let path: String
    /// The underlying system error, when there was one.
    public let detail: String?

    init(_ code: Code, path: String, detail: String?) {
        self.code = code
        self.path = path
        self.detail = detail
    }

    public var description: String {
        let head = "public suffix list \(path): \(code)"
        guard let detail else { return head }
        return "\(head) (\(detail))"
    }
}
