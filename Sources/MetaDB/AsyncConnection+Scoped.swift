extension AsyncConnection {
    /// Opens a connection, runs `body` with it and closes it on every path, awaiting the close.
    ///
    /// The shape of PostgresNIO's `withConnection { … }`: the connection never outlives the
    /// call, and an error from `body` is rethrown after the connection is closed.
    public static func with<T>(
        options: ConnectionOptions,
        isolation: isolated (any Actor)? = #isolation,
        _ body: (AsyncConnection) async throws -> sending T
    ) async throws -> sending T {
        try await AsyncConnection(options: options).closing(isolation: isolation, body)
    }

    /// Runs `body` with this connection and closes it afterwards on every path, awaiting the close.
    public func closing<T>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (AsyncConnection) async throws -> sending T
    ) async throws -> sending T {
        let result: T
        do {
            result = try await body(self)
        } catch {
            await close()
            throw error
        }
        await close()
        return result
    }
}
