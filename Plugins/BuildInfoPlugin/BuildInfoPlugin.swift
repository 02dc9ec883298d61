import Foundation
import PackagePlugin

/// Generates `BuildInfo.swift` (version from `VERSION`, git commit, build date) before every build.
///
/// A prebuild command, so the commit is current even when no source changed; the script rewrites
/// the file only when its text changes, so an unchanged tree does not recompile. `scripts/release.sh`
/// pins the commit and date through `OMS_BUILD_COMMIT` / `OMS_BUILD_DATE` (or `SOURCE_DATE_EPOCH`).
@main
struct BuildInfoPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo")
        let passed = ["OMS_BUILD_COMMIT", "OMS_BUILD_DATE", "SOURCE_DATE_EPOCH", "PATH", "HOME"]
        let environment = ProcessInfo.processInfo.environment.filter { passed.contains($0.key) }
        return [
            .prebuildCommand(
                displayName: "Generating BuildInfo.swift from VERSION and git",
                executable: URL(fileURLWithPath: "/bin/sh"),
                arguments: [root.appending(path: "scripts/build-info.sh").path, root.path, output.path],
                environment: environment,
                outputFilesDirectory: output
            ),
        ]
    }
}
