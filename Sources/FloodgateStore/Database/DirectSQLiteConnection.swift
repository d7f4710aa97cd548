import NIOCore
import SQLiteNIO
// sqlite-nio's own copy of SQLite, the one its connections use: the same library in the process, so its file
// locks agree with theirs (a second copy of SQLite on the same file would break POSIX locking).
import VaporCSQLite

/// The writer's SQLite handle, used synchronously on the writer's thread, with its statements kept prepared.
///
/// `SQLiteConnection` runs each statement on a thread pool and answers on another thread: two thread hops a
/// statement, each waiting for a core when the storefront keeps both busy, so a checkout's six statements would
/// hold the single writer for milliseconds and cap the orders a second. Here the writer's own thread steps the
/// statements itself.
///
/// Only the writer's loop uses it, one transaction after another; nothing else touches the handle.
final class DirectSQLiteConnection: @unchecked Sendable {
    private var handle: OpaquePointer?
    /// Prepared statements by their text, reset after each use; at most ``maxCached``.
    private var prepared: [String: OpaquePointer] = [:]
    private static let maxCached = 256

    init(path: String) throws {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_CREATE | SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE
        let status = sqlite_nio_sqlite3_open_v2(path, &handle, flags, nil)
        guard status == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite_nio_sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite_nio_sqlite3_close(handle)
            throw SQLiteFailure(code: status, message: "cannot open \(path): \(message)")
        }
        self.handle = handle
        sqlite_nio_sqlite3_busy_timeout(handle, 5000)
    }

    /// Runs one statement with its binds, handing each row to `onRow` as it is stepped.
    func run(_ sql: String, _ binds: [SQLiteData], onRow: (SQLiteRowValues) throws -> Void) throws {
        guard let handle else { throw SQLiteFailure(code: SQLITE_MISUSE, message: "the writer's connection is closed") }
        let (statement, cached) = try self.statement(for: sql, on: handle)
        defer {
            if cached {
                sqlite_nio_sqlite3_reset(statement)
                sqlite_nio_sqlite3_clear_bindings(statement)
            } else {
                sqlite_nio_sqlite3_finalize(statement)
            }
        }
        for (index, value) in binds.enumerated() {
            try self.check(Self.bind(value, at: Int32(index + 1), to: statement), on: handle)
        }
        var columns: [String]?
        while true {
            let status = sqlite_nio_sqlite3_step(statement)
            if status == SQLITE_DONE { return }
            guard status == SQLITE_ROW else { throw self.failure(status, on: handle) }
            let names = columns ?? Self.columnNames(of: statement)
            columns = names
            try onRow(
                SQLiteRowValues(
                    columns: names, values: (0..<Int32(names.count)).map { Self.value(at: $0, of: statement) }))
        }
    }

    /// Finalizes the statements and closes the handle.
    func close() {
        for statement in self.prepared.values { sqlite_nio_sqlite3_finalize(statement) }
        self.prepared = [:]
        sqlite_nio_sqlite3_close_v2(self.handle)
        self.handle = nil
    }

    private func statement(for sql: String, on handle: OpaquePointer) throws -> (OpaquePointer, cached: Bool) {
        if let statement = self.prepared[sql] { return (statement, true) }
        let keep = self.prepared.count < Self.maxCached
        var statement: OpaquePointer?
        let status = sqlite_nio_sqlite3_prepare_v3(
            handle, sql, -1, keep ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0, &statement, nil)
        guard status == SQLITE_OK, let statement else { throw self.failure(status, on: handle) }
        if keep { self.prepared[sql] = statement }
        return (statement, keep)
    }

    private func check(_ status: Int32, on handle: OpaquePointer) throws {
        guard status == SQLITE_OK else { throw self.failure(status, on: handle) }
    }

    private func failure(_ status: Int32, on handle: OpaquePointer) -> SQLiteFailure {
        SQLiteFailure(code: status, message: String(cString: sqlite_nio_sqlite3_errmsg(handle)))
    }

    private static func bind(_ value: SQLiteData, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .integer(let value): sqlite_nio_sqlite3_bind_int64(statement, index, Int64(value))
        case .float(let value): sqlite_nio_sqlite3_bind_double(statement, index, value)
        case .null: sqlite_nio_sqlite3_bind_null(statement, index)
        case .text(let value):
            sqlite_nio_sqlite3_bind_text64(
                statement, index, value, UInt64(value.utf8.count), transient, UInt8(SQLITE_UTF8))
        case .blob(let value):
            value.withUnsafeReadableBytes {
                sqlite_nio_sqlite3_bind_blob64(statement, index, $0.baseAddress, UInt64($0.count), transient)
            }
        }
    }

    private static func columnNames(of statement: OpaquePointer) -> [String] {
        (0..<sqlite_nio_sqlite3_column_count(statement)).map { index in
            sqlite_nio_sqlite3_column_name(statement, index).map { String(cString: $0) } ?? ""
        }
    }

    private static func value(at index: Int32, of statement: OpaquePointer) -> SQLiteData {
        switch sqlite_nio_sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER: return .integer(Int(sqlite_nio_sqlite3_column_int64(statement, index)))
        case SQLITE_FLOAT: return .float(sqlite_nio_sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            guard let text = sqlite_nio_sqlite3_column_text(statement, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite_nio_sqlite3_column_bytes(statement, index))
            var buffer = ByteBufferAllocator().buffer(capacity: count)
            if let bytes = sqlite_nio_sqlite3_column_blob(statement, index) {
                buffer.writeBytes(UnsafeRawBufferPointer(start: bytes, count: count))
            }
            return .blob(buffer)
        default: return .null
        }
    }
}

/// SQLite's "copy the value now" destructor, for binds that do not outlive the call.
private nonisolated(unsafe) let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One stepped row: its column names and values.
struct SQLiteRowValues: Sendable {
    let columns: [String]
    let values: [SQLiteData]

    /// The value of the first column of that name, as SQLite's own rows look names up.
    func value(_ column: String) -> SQLiteData? {
        self.columns.firstIndex(of: column).map { self.values[$0] }
    }
}

/// An SQLite status other than success, with SQLite's message.
struct SQLiteFailure: Error, CustomStringConvertible {
    let code: Int32
    let message: String

    /// The primary code (extended codes keep it in their low byte).
    var isBusy: Bool { [SQLITE_BUSY, SQLITE_LOCKED].contains(self.code & 0xFF) }

    var description: String { "SQLite error \(self.code): \(self.message)" }
}
