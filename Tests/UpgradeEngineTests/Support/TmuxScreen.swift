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
        let closeInherited =
            #"for f in /proc/$$/fd/*; do n=${f##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-" 2>/dev/null; done; "#
            + #"exec tmux "$@""#
        try Sandbox.runChecked(
            "bash",
            [
                "-c", closeInherited, "tmux", "-L", socket, "new-session", "-d", "-s", session,
                "-x", String(columns), "-y", String(rows),
                "\(command); echo \"__EXIT__ $?\"; sleep 120",
            ])
    }

    /// The visible screen, one string per line.
    func capture() throws -> [String] {
        try Sandbox.runChecked("tmux", ["-L", socket, "capture-pane", "-p", "-t", session])
            .components(separatedBy: "\n")
    }

    /// Ends the session's server (only this test's socket) and removes the socket.
    func stop() {
        let info =
            (try? Sandbox.run("tmux", ["-L", socket, "display-message", "-p", "#{pid} #{pane_pid} #{socket_path}"]))?
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ", maxSplits: 2) ?? []
        _ = try? Sandbox.run("tmux", ["-L", socket, "kill-server"])
        // The server and the pane's process group were started by this test: make sure they are gone.
        if info.count == 3 {
            if let pane = Int32(info[1]), pane > 1 { kill(-pane, SIGKILL) }
            if let server = Int32(info[0]), server > 1, kill(server, 0) == 0 { kill(server, SIGKILL) }
            try? FileManager.default.removeItem(atPath: String(info[2]))
        }
    }
}
