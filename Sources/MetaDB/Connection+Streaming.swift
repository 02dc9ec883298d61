import CMariaDB

extension Connection {
    /// Runs a query and hands each row to `body` as it arrives (`mysql_use_result`), holding O(1) rows in memory.
    ///
    /// While the rows stream, the connection can run nothing else. If `body`
    /// throws, the rest of the result is read and discarded (the server sends it
    /// anyway) so the connection stays usable, then the error is rethrown. A slow
    /// `body` keeps the server waiting: its `net_write_timeout` (60 s by default)
    /// limits how long one write may stall.
    public func stream(_ sql: String, _ body: (Row) throws -> Void) throws {
        var shared: [Column] = []
        try streamRaw(sql) { columns, raw in
            if shared.count != columns.count { shared = columns }
            var values: [Value] = []
            values.reserveCapacity(raw.count)
            for i in 0..<raw.count {
                values.append(raw.value(at: i))
            }
            try body(Row(columns: shared, values: values))
        }
    }

    /// The fastest way to read a result: each row as pointers into the client's buffer, valid only during the call.
    ///
    /// `columns` is the same array for every row. See ``stream(_:_:)`` for what
    /// happens when `body` throws. A statement without a result set calls `body` never.
    public func streamRaw(_ sql: String, _ body: ([Column], RawRow) throws -> Void) throws {
        // One guard around the whole result, not one per row: a row fetch must stay cheap.
        try SignalGuard.withSIGPIPEBlocked { try streamUnguarded(sql, body) }
    }

    private func streamUnguarded(_ sql: String, _ body: ([Column], RawRow) throws -> Void) throws {
        let mysql = try send(sql)
        guard let result = mysql_use_result(mysql) else {
            if mysql_field_count(mysql) == 0 {
                try finishResults(mysql, sql)
                return
            }
            throw failureDrainingResults(mysql, sql)
        }
        let columns = Self.columns(of: result)
        let count = columns.count
        isStreaming = true
        defer { isStreaming = false }
        do {
            while let row = mysql_fetch_row(result) {
                guard let lengths = mysql_fetch_lengths(result) else { break }
                try body(columns, RawRow(row: row, lengths: lengths, count: count))
            }
        } catch {
            // mysql_free_result on an unbuffered result reads and drops the remaining rows.
            mysql_free_result(result)
            try? finishResults(mysql, sql)
            throw error
        }
        // A NULL row ends the result or reports a read error (connection lost, timeout, server-side error).
        let failed = mysql_errno(mysql) != 0
        let fetchError = failed ? failure(mysql, sql) : nil
        mysql_free_result(result)
        if let fetchError {
            try? finishResults(mysql, sql)
            throw fetchError
        }
        try finishResults(mysql, sql)
    }
}
