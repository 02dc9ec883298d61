import ChildProcesses
import Subprocess

extension DockerCLI {
    /// Reads a file out of a container, running or stopped (`docker cp CONTAINER:PATH -`).
    ///
    /// - Parameter limit: the most bytes read; a larger archive is an error.
    public func readFile(_ path: String, in nameOrID: String, limit: Int) async throws -> [UInt8] {
        let command = fullCommand(["cp", "\(nameOrID):\(path)", "-"])
        let action = "reading \(path) out of container \(nameOrID)"
        logger.debug("running \(command.map(ShellQuoting.quote).joined(separator: " "))")
        let archive: [UInt8]
        do {
            let result = try await Subprocess.run(
                executableReference, arguments: Arguments(Array(command.dropFirst())),
                environment: .inherit, platformOptions: .ownProcessGroup,
                output: .bytes(limit: limit + 64 * 1024), error: .string(limit: 64 * 1024))
            guard result.terminationStatus.exitCode == 0 else {
                throw ContainerEngineError.failed(
                    action, command: command, exitCode: result.terminationStatus.exitCode,
                    stderr: result.standardError)
            }
            archive = result.standardOutput
        } catch let error as SubprocessError {
            throw launchFailure(error, command: command, action: action)
        }
        guard let file = TarArchive.firstFile(in: archive), file.count <= limit else {
            throw ContainerEngineError.failed(
                action, command: command, exitCode: nil,
                stderr: "the engine sent no regular file of at most \(limit) bytes")
        }
        return file
    }
}
