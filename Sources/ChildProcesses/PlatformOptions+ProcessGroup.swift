import Subprocess

extension PlatformOptions {
    /// A child in its own process group: a Ctrl-C on the terminal reaches only this tool, which
    /// stops at a safe point and ends its children itself (task cancellation: SIGTERM, then SIGKILL).
    public static var ownProcessGroup: PlatformOptions {
        var options = PlatformOptions()
        options.processGroupID = 0
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(2))]
        return options
    }
}
