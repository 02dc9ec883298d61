import Foundation
import SandboxSupport

/// A detached tmux session on its own server socket: a real terminal screen the test can read.
struct TmuxScreen {
    let socket = Sandbox.uniqueName("oms_tmux")
    let session = "progress"

    /// Starts `oms-upgrade <arguments>` in a `columns`×`rows` window; the pane stays after it exits.
    func start(_ arguments: [String], columns: Int = 120, rows: Int = 40) throws {
        let command = ([try CLI.executable.path] + arguments).map(PseudoTerminal.shellQuote).joined(separator: " ")
        // The tmux server outlives this call and keeps every descriptor it inherits; one of them is the
        // test process's own child-watching pipe, which would hold the call open until the server ends.
        // So only 0-2 are passed on.
        let closeInherited = #"for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-" 2>/dev/null; done; exec tmux "$@""#
        try Sandbox.runChecked("bash", ["-c", closeInherited, "tmux", "-L", socket, "new-session", "-d", "-s", session,
                                        "-x", String(columns), "-y", String(rows),
                                        "\(command); echo \"__EXIT__ $?\"; sleep 120"])
    }

    /// The visible screen, one string per line.
    func capture() throws -> [String] {
        try Sandbox.runChecked("tmux", ["-L", socket, "capture-pane", "-p", "-t", session])
            .components(separatedBy: "\n")
    }

    /// Ends the session's server (only this test's socket) and removes the socket.
    func stop() {
        let info = (try? Sandbox.run("tmux", ["-L", socket, "display-message", "-p", "#{pid} #{socket_path}"]))?
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 1) ?? []
        _ = try? Sandbox.run("tmux", ["-L", socket, "kill-server"])
        // The server was started by this test: make sure it is gone (its pane then gets SIGHUP).
        if let pid = info.first.flatMap({ Int32($0) }), pid > 1, kill(pid, 0) == 0 { kill(pid, SIGKILL) }
        if info.count == 2 { try? FileManager.default.removeItem(atPath: String(info[1])) }
    }
}
