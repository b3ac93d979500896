import GRDB

#if SWIFT_PACKAGE
    import GRDBSQLite
#else
    import SQLite3
#endif

/// What `SQLiteInsert` and `SQLiteQuery` share: preparing a statement on a GRDB connection, and
/// turning a SQLite result code into GRDB's error.
enum SQLiteStatement {
    /// Prepares `sql` on `db`'s connection; the caller finalizes the statement.
    static func prepare(_ db: Database, sql: String) throws -> (connection: OpaquePointer, statement: OpaquePointer) {
        guard let connection = db.sqliteConnection else {
            throw DatabaseError(resultCode: .SQLITE_MISUSE, message: "connection is closed")
        }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(connection, sql, -1, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw error(code, on: connection, sql: sql)
        }
        return (connection, statement)
    }

    /// The error for `code`, with the connection's message.
    static func error(_ code: Int32, on connection: OpaquePointer, sql: String? = nil) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }
}
