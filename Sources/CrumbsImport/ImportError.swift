/// Why a recording could not be imported, naming the file (and, for JSON, where in it).
public struct ImportError: Error, CustomStringConvertible, Equatable {
    public enum Reason: Equatable, Sendable {
        case unreadable(String)
        case compression(String)
        /// Not JSON: the message and the 1-based line and column of the first bad byte.
        case invalidJSON(String, line: Int, column: Int)
        /// JSON, but not a HAR (no `log.entries`).
        case notHAR(String)
        /// A format Crumbs does not read (told from the first bytes).
        case unknownFormat(String)
        /// A capture file broken at this byte offset (what was read before it is kept).
        case corruptCapture(String, offset: Int64)
    }

    public let file: String
    public let reason: Reason

    public init(file: String, _ reason: Reason) {
        self.file = file
        self.reason = reason
    }

    public var description: String {
        switch reason {
        case .unreadable(let why): return "\(file): cannot read: \(why)"
        case .compression(let why): return "\(file): \(why)"
        case .invalidJSON(let why, let line, let column): return "\(file):\(line):\(column): invalid JSON: \(why)"
        case .notHAR(let why): return "\(file): not a HAR file: \(why)"
        case .unknownFormat(let why): return "\(file): \(why)"
        case .corruptCapture(let why, let offset): return "\(file): byte \(offset): \(why)"
        }
    }
}
