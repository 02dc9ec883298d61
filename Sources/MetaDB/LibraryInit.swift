import CMariaDB

/// One-time, thread-safe initialisation of MariaDB Connector/C.
///
/// `mysql_library_init` is a C macro that Swift cannot see, so this calls the
/// function it expands to, `mysql_server_init(0, nil, nil)`, exactly once per
/// process (a `static let` is initialised lazily under `swift_once`).
enum LibraryInit {
    /// `true` once the library has been initialised successfully.
    private static let initialised: Bool = mysql_server_init(0, nil, nil) == 0

    /// Initialises the library if that has not happened yet; returns whether it succeeded.
    @discardableResult
    static func ensure() -> Bool {
        let ok = initialised
        // Harmless (a no-op in Connector/C 3.x) and documented as required by older clients.
        _ = mysql_thread_init()
        return ok
    }
}
