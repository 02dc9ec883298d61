import MetaDB

/// A rolled-back upgrade keeps the step's error, so the server's error code stays readable (``MetaDB/ErrorChain``).
extension UpgradeFailure: WrappingError {
    public var wrappedErrors: [any Error] { [cause] }
}
