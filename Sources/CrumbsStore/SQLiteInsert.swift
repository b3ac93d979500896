import GRDB

// GRDB's documented way to reach SQLite's C API from a Swift package (the module of its own
// SQLite dependency); Xcode projects that embed GRDB differently use the SDK's SQLite3.
#if SWIFT_PACKAGE
    import GRDBSQLite
#else
    import SQLite3
#endif

/// One INSERT statement prepared on the writer's SQLite connection, bound and run through
/// SQLite's C API.
///
/// Why not GRDB's `Statement`: its arguments box every value in an existential and then in a
/// `DatabaseValue`; on the append path that cost as many instructions as SQLite's own insert
/// work. Used only inside a GRDB write transaction, so GRDB still owns the transaction.
struct SQLiteInsert: ~Copyable {
    private let statement: OpaquePointer
    private let connection: OpaquePointer
    private var index: Int32 = 0

    /// SQLite copies text before `bind` returns, so Swift's temporary C strings may go away.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ db: Database, sql: String) throws {
        (connection, statement) = try SQLiteStatement.prepare(db, sql: sql)
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// Binds the next parameter (parameters are bound in order, left to right).
    mutating func bind(_ value: String?) {
        index += 1
        guard var text = value else {
            sqlite3_bind_null(statement, index)
            return
        }
        // withUTF8 gives the bytes without a NUL-terminated copy (it may make the string native).
        text.withUTF8 { bytes in
            _ = bytes.withMemoryRebound(to: CChar.self) {
                sqlite3_bind_text(statement, index, $0.baseAddress, Int32($0.count), Self.transient)
            }
        }
    }

    mutating func bind(_ value: Int64?) {
        index += 1
        if let value {
            sqlite3_bind_int64(statement, index, value)
        } else {
            sqlite3_bind_null(statement, index)
        }
    }

    mutating func bind(_ value: Int?) { bind(value.map(Int64.init)) }

    mutating func bind(_ value: Bool) { bind(Int64(value ? 1 : 0)) }

    /// A keyed hash: 32 lowercase hex digits are stored as their 16 bytes (a BLOB), anything
    /// else (hashes written by tests, or by a future scheme) as text. `StoredHash.text` reads both.
    mutating func bindHash(_ hex: String) {
        guard let bytes = StoredHash.bytes(hex) else {
            bind(hex)
            return
        }
        index += 1
        bytes.withUnsafeBytes { raw in
            _ = sqlite3_bind_blob(statement, index, raw.baseAddress, Int32(raw.count), Self.transient)
        }
    }

    mutating func bind(_ value: Double?) {
        index += 1
        if let value {
            sqlite3_bind_double(statement, index, value)
        } else {
            sqlite3_bind_null(statement, index)
        }
    }

    /// Runs the statement with the values bound so far, then readies it for the next row.
    /// Returns the rowid of the inserted row.
    @discardableResult
    mutating func run() throws -> Int64 {
        defer {
            sqlite3_reset(statement)
            index = 0
        }
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else { throw SQLiteStatement.error(code, on: connection) }
        return sqlite3_last_insert_rowid(connection)
    }
}

/// Keyed hashes as the cookie tables store them (see `SQLiteInsert.bindHash`).
enum StoredHash {
    /// The 16 bytes of 32 lowercase hex digits; nil for anything else.
    static func bytes(_ hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count == 32 else { return nil }
        var bytes = [UInt8](repeating: 0, count: 16)
        for index in 0..<16 {
            guard let high = value(digits[2 * index]), let low = value(digits[2 * index + 1]) else { return nil }
            bytes[index] = high << 4 | low
        }
        return bytes
    }

    /// A stored hash back to its text: a BLOB as lowercase hex, text as it is.
    static func text(_ stored: DatabaseValue) -> String {
        switch stored.storage {
        case .blob(let data):
            let digits = Array("0123456789abcdef".utf8)
            return String(decoding: data.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 0x0F)]] }, as: UTF8.self)
        case .string(let text): return text
        default: return ""
        }
    }

    private static func value(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
