import Foundation

/// A fresh directory under the temp dir, removed by ``remove()`` (shared by the test targets).
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ prefix: String = "oms-deploy-test") throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(prefix)-\(UUID().uuidString.lowercased())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    /// The path of `name` inside.
    public func file(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Writes `contents` to `name` and returns its path.
    @discardableResult
    public func write(_ name: String, _ contents: String) throws -> String {
        let path = file(name)
        try Data(contents.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Creates the directory `name` and returns its path.
    @discardableResult
    public func directory(_ name: String) throws -> String {
        let path = file(name)
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
