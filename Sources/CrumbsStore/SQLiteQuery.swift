import GRDB

#if SWIFT_PACKAGE
    import GRDBSQLite
#else
    import SQLite3
#endif

/// One SELECT prepared on a GRDB connection and stepped through SQLite's C API, for scans that
/// read hundreds of thousands of rows: text columns are read as borrowed bytes, so a row costs
/// no allocation (GRDB's `Row` copies every value into a `DatabaseValue`). Used only inside a
/// GRDB read, so GRDB still owns the connection and the transaction.
struct SQLiteQuery: ~Copyable {
    private let statement: OpaquePointer
    private let connection: OpaquePointer

    init(_ db: Database, sql: String, doubles: [Double] = [], integers: [Int64] = []) throws {
        (connection, statement) = try SQLiteStatement.prepare(db, sql: sql)
        // Parameters ?1… take the doubles, then the integers.
        for (offset, value) in doubles.enumerated() {
            sqlite3_bind_double(statement, Int32(offset + 1), value)
        }
        for (offset, value) in integers.enumerated() {
            sqlite3_bind_int64(statement, Int32(doubles.count + offset + 1), value)
        }
    }

    deinit {
        sqlite3_finalize(statement)
    }

    /// Moves to the next row; false when there is none.
    mutating func step() throws -> Bool {
        switch sqlite3_step(statement) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let code:
            throw SQLiteStatement.error(code, on: connection)
        }
    }

    /// The UTF-8 bytes of a text column, valid until the next `step`; nil for NULL.
    func text(_ column: Int32) -> UnsafeRawBufferPointer? {
        // NULL gives a null pointer; an empty text a valid pointer to zero bytes. `bytes` must be
        // asked after `text`, which may convert the value.
        guard let bytes = sqlite3_column_text(statement, column) else { return nil }
        return UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(statement, column)))
    }

    func double(_ column: Int32) -> Double { sqlite3_column_double(statement, column) }

    func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(statement, column) }

}
