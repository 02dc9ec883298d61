import Containers
import Foundation
import OMSDeployment

extension OutageEstimator {
    /// How long the old container's own OMS took to say it started: the evidence the deployment
    /// gives for the health wait.
    ///
    /// Measured from the end of the `docker_init.sh` that ran in the container's current start (the
    /// modification time of the newest `docker_init.log.*` on its logs mount), which is the upgrade's
    /// case, or from the container's start (`State.StartedAt`) when no init ran in it, to the time
    /// `docker logs --timestamps` gives the line `OMS service start successfully`.
    public struct OldStart: Sendable, Equatable, Codable {
        /// Seconds from the init's end (or the container's start) to the started line; 0 when OMS
        /// said it started while its init still ran.
        public var seconds: Double
        /// True when measured from the end of a `docker_init.sh` run.
        public var afterInit: Bool
        /// True when OMS said it started before the init that ran in the same start ended.
        public var duringInit: Bool

        public init(seconds: Double, afterInit: Bool, duringInit: Bool = false) {
            self.seconds = seconds
            self.afterInit = afterInit
            self.duringInit = duringInit
        }

        /// Where the figure came from, for a person.
        var basis: String {
            if duringInit { return "the old container's OMS said it started while its docker_init.sh still ran (0 s)" }
            let from = afterInit ? "its docker_init.sh ended" : "the container started (no docker_init.sh ran in it)"
            return "the old container's OMS said it started \(OutageEstimate.format(seconds)) after \(from)"
        }
    }

    /// The old start found in `log` (`docker logs --timestamps` lines since `startedAt`) and the init
    /// logs' modification times; nil when the log holds no started line at or after `startedAt`.
    static func oldStart(startedAt: Date, log: [String], initEnds: [Date]) -> OldStart? {
        for line in log {
            guard line.contains(OMSContainerPaths.startedLogLine), let space = line.firstIndex(of: " "),
                let said = parseTime(String(line[..<space])), said >= startedAt
            else { continue }
            // The init that ran in this start: the last one to end before OMS said it started, else
            // the first to end after (OMS answered while it still ran: the schema was ready before its end).
            let ended = initEnds.filter { $0 >= startedAt }
            if let initEnd = ended.filter({ $0 <= said }).max() {
                return OldStart(seconds: said.timeIntervalSince(initEnd), afterInit: true)
            }
            if ended.contains(where: { $0 > said }) {
                return OldStart(seconds: 0, afterInit: true, duringInit: true)
            }
            return OldStart(seconds: said.timeIntervalSince(startedAt), afterInit: false)
        }
        return nil
    }

    /// Reads the old start of `container` from the engine; nil when any part of it cannot be read.
    static func readOldStart(engine: any ContainerEngine, container: String) async -> OldStart? {
        guard let details = try? await engine.inspectContainer(container), let startedText = details.state.startedAt,
            let startedAt = parseTime(startedText)
        else { return nil }
        // A day bounds what is read: OMS says it started within its init and health timeouts.
        let until = ISO8601DateFormatter().string(from: startedAt.addingTimeInterval(86_400))
        guard let log = try? await engine.timestampedLogs(container, since: startedText, until: until) else {
            return nil
        }
        let script =
            "for f in \(OMSContainerPaths.logs)/docker_init.log.*; do [ -f \"$f\" ] && stat -c %y \"$f\"; done; true"
        let lines = LockedLines()
        let status = try? await engine.exec(container, command: ["sh", "-c", script], timeoutSeconds: 30) {
            lines.append($0)
        }
        // Without the init logs' times a start with an init would pass for one without: nothing then.
        guard status == 0 else { return nil }
        return oldStart(startedAt: startedAt, log: log, initEnds: lines.all.compactMap(parseTime))
    }

    /// Parses an RFC 3339 time as docker prints it or one as `stat -c %y` does
    /// (``EngineTimestamp/parse(_:)``); nil otherwise.
    static func parseTime(_ text: String) -> Date? { EngineTimestamp.parse(text) }
}

/// Lines an exec streams, gathered across its callback's threads.
private final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }

    var all: [String] { lock.withLock { lines } }
}
