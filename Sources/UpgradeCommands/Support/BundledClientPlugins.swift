import Foundation
import MetaDB

/// Points MariaDB Connector/C at the auth plugins the release tarball ships.
///
/// The release links libmariadb statically, but the client's loadable auth plugins
/// (`caching_sha2_password` for MySQL 8, `sha256_password`, `client_ed25519`, `dialog`, ...) stay
/// shared objects that the library looks for in its compiled-in directory, which a host without
/// libmariadb lacks. The tarball puts them in `lib/mariadb/plugin` beside `bin/` and `libexec/`;
/// this makes every connection of this process look there (`MYSQL_PLUGIN_DIR`) unless the operator
/// set `MARIADB_PLUGIN_DIR`. Nothing is exported: the host's own client tools that the tool starts
/// keep the host's plugins.
public enum BundledClientPlugins {
    /// Uses `<binary>/../../lib/mariadb/plugin` when it exists and `MARIADB_PLUGIN_DIR` is unset.
    public static func activate() {
        guard ProcessInfo.processInfo.environment["MARIADB_PLUGIN_DIR"] == nil,
            let executable = ExecutableLocation.adopt()
        else { return }
        let directory = executable.deletingLastPathComponent().deletingLastPathComponent()
            .appending(path: "lib/mariadb/plugin")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else { return }
        ClientPluginDirectory.path = directory.path
    }
}
