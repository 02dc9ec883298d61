/// How a connection uses TLS.
public enum TLSMode: Sendable, Equatable, Hashable {
    /// Never use TLS, even when the server offers it (MySQL's `--ssl-mode=DISABLED`).
    case plaintext
    /// Use TLS when the server offers it, without verifying its certificate;
    /// fall back to a plain connection when it does not.
    case preferred
    /// Use TLS or fail; the server certificate is not verified.
    case required
    /// Use TLS or fail, and verify the server certificate chain against the
    /// PEM CA bundle at `caFile` (the host name is not checked, like MySQL's
    /// `--ssl-mode=VERIFY_CA`).
    case verifyCA(caFile: String)
}
