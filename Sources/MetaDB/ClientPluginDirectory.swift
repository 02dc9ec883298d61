import Synchronization

/// Where Connector/C looks for its loadable auth plugins, for every connection this process opens.
///
/// Set once at start-up (the release points it at the plugins it ships). It is passed to each
/// connection as `MYSQL_PLUGIN_DIR` rather than exported as `MARIADB_PLUGIN_DIR`, so the client
/// tools the tool starts (mysqldump, mysql) keep the host's own plugins.
public enum ClientPluginDirectory {
    private static let current = Mutex<String?>(nil)

    /// The directory, or nil for Connector/C's own choice (`MARIADB_PLUGIN_DIR`, else its built-in path).
    public static var path: String? {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}
