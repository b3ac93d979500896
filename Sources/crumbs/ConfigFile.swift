import Foundation
import TOMLKit

/// The optional TOML config file. Its keys mirror the long flags (`listen = "127.0.0.1:8080"`,
/// `allow = ["192.168.1.0/24"]`, `keep-query = true`); flags given on the command line win.
struct ConfigFile {
    private var table: TOMLTable
    let path: String?

    init() {
        self.table = TOMLTable()
        self.path = nil
    }

    init(path: String) throws {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw CLIError("cannot read config file \(path): \(error.localizedDescription)")
        }
        try self.init(text: text, path: path)
    }

    init(text: String, path: String? = nil) throws {
        do {
            self.table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw CLIError(
                "config file \(path ?? "<text>") line \(error.source.begin.line): \(error.description)"
            )
        }
        self.path = path
        let unknown = Set(table.keys).subtracting(Self.knownKeys)
        if !unknown.isEmpty {
            throw CLIError(
                "config file \(path ?? "<text>"): unknown key(s) \(unknown.sorted().joined(separator: ", "))"
            )
        }
    }

    static let knownKeys: Set<String> = [
        "data-dir", "log-level", "listen", "allow", "connect-port", "http-port", "upstream", "upstream-timeout",
        "idle-timeout", "max-connections", "max-connections-per-client", "queue-mib", "keep-query", "intercept",
        "record", "clients", "retention-days",
        "retention-with-digests", "digest-per-device", "lang", "dashboard",
        "no-intercept",
        "upstream-ca",
        "reject-passthrough", "list", "no-default-lists", "psl", "digest-at", "digest-command",
    ]

    func string(_ key: String) throws -> String? {
        guard let value = table[key] else { return nil }
        guard let string = value.string else { throw typeError(key, "a string") }
        return string
    }

    func int(_ key: String) throws -> Int? {
        guard let value = table[key] else { return nil }
        guard let int = value.int else { throw typeError(key, "an integer") }
        return int
    }

    func bool(_ key: String) throws -> Bool? {
        guard let value = table[key] else { return nil }
        guard let bool = value.bool else { throw typeError(key, "true or false") }
        return bool
    }

    /// A boolean or a string (`intercept = true` and `intercept = "auto"` both read).
    func boolOrString(_ key: String) throws -> String? {
        guard let value = table[key] else { return nil }
        if let bool = value.bool { return bool ? "true" : "false" }
        guard let string = value.string else { throw typeError(key, "true, false or a string") }
        return string
    }

    /// A list of strings; a single string counts as a list of one.
    func strings(_ key: String) throws -> [String]? {
        guard let value = table[key] else { return nil }
        if let single = value.string { return [single] }
        guard let array = value.array else { throw typeError(key, "a list of strings") }
        return try array.map { element in
            guard let string = element.string else { throw typeError(key, "a list of strings") }
            return string
        }
    }

    /// A list of integers; a single integer counts as a list of one.
    func ints(_ key: String) throws -> [Int]? {
        guard let value = table[key] else { return nil }
        if let single = value.int { return [single] }
        guard let array = value.array else { throw typeError(key, "a list of integers") }
        return try array.map { element in
            guard let int = element.int else { throw typeError(key, "a list of integers") }
            return int
        }
    }

    private func typeError(_ key: String, _ expected: String) -> CLIError {
        CLIError("config file \(path ?? "<text>"): \(key) must be \(expected)")
    }
}

/// One clear line for the user; the CLI prints it and exits non-zero.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
