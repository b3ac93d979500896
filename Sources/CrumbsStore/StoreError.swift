import Foundation
import GRDB

/// A failure of the event store: what it was doing, the database path and the underlying reason,
/// for example "cannot write events to /x/crumbs.sqlite: database or disk is full".
///
/// A struct around a private enum so that new operations can be added without breaking callers.
public struct StoreError: Error, Sendable, CustomStringConvertible, LocalizedError {
    /// What the store was doing when it failed.
    public struct Operation: Sendable, Hashable, CustomStringConvertible {
        private enum Base: Sendable, Hashable {
            case open, migrate, write, read, forget
        }

        private let base: Base

        /// Creating the parent directory or opening the database file.
        public static let open = Operation(base: .open)
        /// Bringing the schema up to date.
        public static let migrate = Operation(base: .migrate)
        /// Appending events.
        public static let write = Operation(base: .write)
        /// Querying events.
        public static let read = Operation(base: .read)
        /// Deleting events and scrubbing their bytes from the files.
        public static let forget = Operation(base: .forget)

        public var description: String {
            switch base {
            case .open: "cannot open event store at"
            case .migrate: "cannot migrate event store at"
            case .write: "cannot write events to"
            case .read: "cannot read events from"
            case .forget: "cannot forget events in"
            }
        }
    }

    public let operation: Operation
    /// The database file, or ":memory:" for an in-memory store.
    public let path: String
    /// The underlying reason in a few words, such as "database or disk is full".
    public let reason: String

    public init(_ operation: Operation, path: String, reason: String) {
        self.operation = operation
        self.path = path
        self.reason = reason
    }

    /// Wraps any error thrown by SQLite or the file system; a `StoreError` passes through as is.
    init(_ operation: Operation, path: String, underlying error: any Error) {
        if let error = error as? StoreError {
            self = error
            return
        }
        self.init(operation, path: path, reason: Self.reason(of: error))
    }

    public var description: String { "\(operation) \(path): \(reason)" }
    public var errorDescription: String? { description }

    /// The shortest clear wording of an underlying error. SQLite's own message is preferred over
    /// `DatabaseError.description`, which also carries the SQL text.
    private static func reason(of error: any Error) -> String {
        if let error = error as? StoredValueError {
            return error.description
        }
        if let error = error as? DatabaseError {
            return error.message ?? "SQLite error \(error.resultCode.rawValue)"
        }
        let nsError = error as NSError
        if let posix = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
            posix.domain == NSPOSIXErrorDomain
        {
            return String(cString: strerror(Int32(posix.code)))
        }
        if nsError.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(nsError.code)))
        }
        return nsError.localizedDescription
    }
}
