import Foundation
import SandboxSupport

/// Certificates and keys made with openssl at test time.
struct TestCertificates {
    let directory: TemporaryDirectory

    init() throws {
        directory = try TemporaryDirectory("oms-ssl-test")
    }

    /// A self-signed RSA certificate and its key: (certificate path, key path).
    func rsaPair(_ name: String = "rsa") throws -> (String, String) {
        let cert = directory.file("\(name).crt")
        let key = directory.file("\(name).key")
        try Sandbox.runChecked(
            "openssl",
            [
                "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                "-days", "2", "-subj", "/CN=127.0.0.1",
            ])
        return (cert, key)
    }

    /// A self-signed EC certificate (`prime256v1` or `secp384r1`) and its key.
    func ecPair(_ name: String = "ec", curve: String = "prime256v1") throws -> (String, String) {
        let cert = directory.file("\(name).crt")
        let key = directory.file("\(name).key")
        try Sandbox.runChecked(
            "openssl",
            [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:\(curve)", "-nodes",
                "-keyout", key, "-out", cert, "-days", "2", "-subj", "/CN=127.0.0.1",
            ])
        return (cert, key)
    }

    /// An encrypted RSA key.
    func encryptedKey() throws -> String {
        let key = directory.file("encrypted.key")
        try Sandbox.runChecked(
            "openssl",
            [
                "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                "-aes256", "-pass", "pass:test-passphrase", "-out", key,
            ])
        return key
    }

    func remove() { directory.remove() }
}
