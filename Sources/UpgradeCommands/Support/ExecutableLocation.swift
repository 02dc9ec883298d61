import Foundation

/// The path of the real `oms-upgrade` binary, also when the release starts it through its own loader.
///
/// The release's `bin/oms-upgrade` is a launcher that runs `lib/ld-linux-x86-64.so.2 --library-path
/// lib libexec/oms-upgrade`: `/proc/self/exe` (and so `Bundle.main`) is then the loader. The
/// launcher passes the binary's path in `OMS_UPGRADE_EXECUTABLE`; `adopt()` reads it and removes it
/// from the environment, so no process the tool starts sees it.
public enum ExecutableLocation {
    /// The variable the release's launcher sets.
    public static let environmentVariable = "OMS_UPGRADE_EXECUTABLE"

    private static let adopted: URL? = {
        let given = ProcessInfo.processInfo.environment[environmentVariable]
        unsetenv(environmentVariable)
        if let given, given.hasPrefix("/") { return URL(fileURLWithPath: given).resolvingSymlinksInPath() }
        return Bundle.main.executableURL?.resolvingSymlinksInPath()
    }()

    /// Reads and removes `OMS_UPGRADE_EXECUTABLE` (once); the binary's resolved path, else `Bundle.main`'s.
    @discardableResult
    public static func adopt() -> URL? { adopted }
}
