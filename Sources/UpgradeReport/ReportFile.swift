import Foundation

/// Writes a report file: 0600, complete or not at all (a temporary file renamed into place).
public enum ReportFile {
    public static func write(_ text: String, to path: String) throws {
        let url = URL(filePath: path)
        let directory = url.deletingLastPathComponent()
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw ReportError(
                "Cannot write the report to \(path): the directory \(directory.path) does not exist; "
                    + "create it or choose another file.")
        }
        let temporary = directory.appending(path: ".\(url.lastPathComponent).\(getpid()).tmp")
        guard
            FileManager.default.createFile(
                atPath: temporary.path, contents: Data(text.utf8),
                attributes: [.posixPermissions: 0o600])
        else {
            throw ReportError(
                "Cannot write the report to \(path): \(directory.path) is not writable; choose another file.")
        }
        // rename(2) replaces an existing file atomically; the new one keeps the temporary's 0600.
        guard rename(temporary.path, url.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw ReportError("Cannot write the report to \(path): \(reason); choose another file.")
        }
    }
}
