import Foundation
import SandboxSupport

/// Debian's `chromium`, headless, to render a report as a browser would: its DOM and a screenshot.
enum HeadlessChromium {
    /// The browser's path, or an error saying how to install it.
    static var executable: String {
        get throws {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            for directory in path.split(separator: ":") + ["/usr/bin"] {
                let candidate = "\(directory)/chromium"
                if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            }
            throw SandboxError(
                "chromium is not installed, so the report cannot be rendered in a browser: "
                    + "run `apt-get install chromium` (scripts/sandbox-up.sh installs it)."
            )
        }
    }

    /// The DOM after the page loaded (`--dump-dom`).
    static func dumpDOM(_ file: URL) throws -> String {
        try run(["--dump-dom", file.absoluteString]).stdout
    }

    /// Takes a screenshot of `file` into `png` at `width`×`height`.
    static func screenshot(_ file: URL, to png: URL, width: Int = 1280, height: Int = 2000) throws {
        _ = try run([
            "--screenshot=\(png.path)", "--window-size=\(width),\(height)", "--hide-scrollbars",
            file.absoluteString,
        ])
    }

    private static func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let browser = try executable
        let profile = try Sandbox.makePrivateTempDirectory()
        defer { try? FileManager.default.removeItem(at: profile) }
        // `timeout` only guards against a hung browser; nothing is asserted about time.
        let result = try Sandbox.run(
            "timeout",
            [
                "180", browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--user-data-dir=\(profile.path)",
            ] + arguments)
        guard result.status == 0 else {
            throw SandboxError(
                "chromium \(arguments.first ?? "") failed with status \(result.status): \(result.stderr.suffix(2000))")
        }
        return result
    }
}

/// The width and height a PNG file declares in its IHDR chunk, nil when it is not a PNG.
func pngSize(_ data: Data) -> (width: Int, height: Int)? {
    let bytes = [UInt8](data.prefix(24))
    guard bytes.count == 24, bytes[0..<8] == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A],
        bytes[12..<16] == [0x49, 0x48, 0x44, 0x52]
    else { return nil }
    func int(_ at: Int) -> Int { bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
    return (int(16), int(20))
}
