import Foundation
import MetaDB
import Synchronization

/// Crash points for the crash-safety tests: `OMS_UPGRADE_FAULT_KILL=<point>[#n]` makes the process
/// SIGKILL itself the n-th time (default: first) it reaches that point, exactly as an operator's
/// `kill -9` or a power cut would.
///
/// Points are `<step>.started` (journaled as started, nothing done yet), `<step>.completed`
/// (journaled as completed, next step not begun) and `<step>.mid` (inside a step, after part of
/// its work: `init.mid` is reached once per line the init script prints).
///
/// Compiled into debug builds only (the tests run the debug binary): the release build that
/// `scripts/release.sh` ships (`-c release`) has an empty ``reach(_:_:)`` and reads none of
/// these variables.
#if DEBUG
    enum FaultInjection {
        static let variable = "OMS_UPGRADE_FAULT_KILL"
        private static let reached = Mutex<[String: Int]>([:])

        /// `OMS_UPGRADE_FAULT_SIGNAL=<point>[#n][@INT|@TERM]`: the process sends itself SIGTERM (or
        /// SIGINT) there instead, as an operator's `kill` or Ctrl-C would, and goes on until it stops.
        static let signalVariable = "OMS_UPGRADE_FAULT_SIGNAL"

        /// `OMS_UPGRADE_FAULT_PAUSE=<point>:<file>` makes the process create `<file>` at `point` and wait until
        /// the test removes it (for a test to act at a known moment, e.g. restart the metadata server).
        static let pauseVariable = "OMS_UPGRADE_FAULT_PAUSE"

        /// Pauses, signals or kills the process when `point` is a configured one and has been reached often enough.
        ///
        /// After a signal it waits until `interruption` (the run's) has seen it and cancelled the run.
        static func reach(_ point: String, _ interruption: Interruption? = nil) {
            pauseIfAsked(at: point)
            signalIfConfigured(point, interruption)
            guard let target = ProcessInfo.processInfo.environment[variable] else { return }
            let parts = target.split(separator: "#", maxSplits: 1)
            guard parts.first.map(String.init) == point else { return }
            let wanted = parts.count == 2 ? Int(parts[1]) ?? 1 : 1
            let count = reached.withLock { counts in
                counts[point, default: 0] += 1
                return counts[point, default: 0]
            }
            guard count == wanted else { return }
            // Between statements, never inside a DDL on the OceanBase kernel (see DDLFence).
            DDLFence.closeAndDrain()
            FileHandle.standardError.write(Data("fault injection: SIGKILL at \(point)\n".utf8))
            kill(getpid(), SIGKILL)
        }

        private static func signalIfConfigured(_ point: String, _ interruption: Interruption?) {
            guard var target = ProcessInfo.processInfo.environment[signalVariable] else { return }
            var number = SIGTERM
            if let at = target.firstIndex(of: "@") {
                number = target[target.index(after: at)...] == "INT" ? SIGINT : SIGTERM
                target = String(target[..<at])
            }
            let parts = target.split(separator: "#", maxSplits: 1)
            guard parts.first.map(String.init) == point else { return }
            let wanted = parts.count == 2 ? Int(parts[1]) ?? 1 : 1
            let count = reached.withLock { counts in
                counts["signal:" + point, default: 0] += 1
                return counts["signal:" + point, default: 0]
            }
            guard count == wanted else { return }
            FileHandle.standardError.write(Data("fault injection: \(Interruption.name(number)) at \(point)\n".utf8))
            kill(getpid(), number)
            // The handler runs on another thread and the run hears it through a task: wait until the
            // run is cancelled, so the test's timing is fixed.
            guard let interruption else { return }
            for _ in 0..<500 where !interruption.hasCancelled { usleep(10_000) }
        }

        private static func pauseIfAsked(at point: String) {
            guard let value = ProcessInfo.processInfo.environment[pauseVariable],
                let colon = value.firstIndex(of: ":"), value[..<colon] == point
            else { return }
            let file = String(value[value.index(after: colon)...])
            guard FileManager.default.createFile(atPath: file, contents: Data("\(getpid())\n".utf8)) else { return }
            FileHandle.standardError.write(Data("fault injection: paused at \(point) until \(file) is removed\n".utf8))
            while FileManager.default.fileExists(atPath: file) { usleep(100_000) }
        }
    }
#else
    enum FaultInjection {
        /// Nothing in a release build.
        @inline(__always)
        static func reach(_ point: String, _ interruption: Interruption? = nil) {}
    }
#endif
