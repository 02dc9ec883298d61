import Foundation

/// Points MariaDB Connector/C at the auth plugins the release tarball ships.
///
/// The release links libmariadb statically, but the client's loadable auth plugins
/// (`caching_sha2_password` for MySQL 8, `sha256_password`, `client_ed25519`, `dialog`, ...) stay
/// shared objects that the library looks for in its compiled-in directory, which a host without
/// libmariadb lacks. The tarball puts them in `lib/mariadb/plugin` beside `bin/`; this sets
/// `MARIADB_PLUGIN_DIR` to that directory unless the operator set it already.
public enum BundledClientPlugins {
    /// Sets `MARIADB_PLUGIN_DIR` when `<binary>/../../lib/mariadb/plugin` exists and it is unset.
    public static func activate() {
        guard ProcessInfo.processInfo.environment["MARIADB_PLUGIN_DIR"] == nil,
            let executable = Bundle.main.executableURL?.resolvingSymlinksInPath()
        else { return }
        let directory = executable.deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "lib/mariadb/plugin")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { return }
        setenv("MARIADB_PLUGIN_DIR", directory.path, 0)
    }
}
