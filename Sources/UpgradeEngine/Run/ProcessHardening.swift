import CProcessControl
import Foundation

/// Process-wide protections taken once at start: the process holds the metadata password and
/// secret environment values in memory, so it must never leave them in a core file.
public enum ProcessHardening {
    /// Sets RLIMIT_CORE to 0 and marks the process not dumpable (Linux `PR_SET_DUMPABLE` 0).
    public static func disableCoreDumps() {
        var none = rlimit(rlim_cur: 0, rlim_max: 0)
        _ = setrlimit(Int32(RLIMIT_CORE.rawValue), &none)
        _ = oms_process_set_not_dumpable()
    }
}
