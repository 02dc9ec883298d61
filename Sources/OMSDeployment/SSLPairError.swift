/// The SSL pair cannot serve the console; each case printed as one actionable sentence.
public struct SSLPairError: Error, Sendable, CustomStringConvertible, Equatable {
    /// What is wrong.
    public enum Problem: Sendable, Equatable {
        /// The file does not exist.
        case missing(path: String, role: Role)
        /// The file exists but cannot be read.
        case unreadable(path: String, role: Role)
        /// No PEM block of the expected kind in the file.
        case notPEM(path: String, role: Role)
        /// The certificate's PEM does not parse as an X.509 certificate.
        case invalidCertificate(path: String, reason: String)
        /// The key's PEM does not parse as a private key this tool can check.
        case invalidKey(path: String, reason: String)
        /// The key is encrypted (nginx in the container cannot ask for the passphrase).
        case encryptedKey(path: String)
        /// The key is not the certificate's.
        case keyDoesNotMatch(certificatePath: String, keyPath: String)
    }

    /// Which half of the pair.
    public enum Role: String, Sendable, Equatable {
        case certificate
        case key
    }

    /// What is wrong.
    public var problem: Problem

    /// Creates an error.
    public init(_ problem: Problem) {
        self.problem = problem
    }

    public var description: String {
        switch problem {
        case .missing(let path, let role):
            return
                "The SSL \(role.rawValue) \(path) does not exist: give the path of the PEM \(role.rawValue) file on this host."
        case .unreadable(let path, let role):
            return "The SSL \(role.rawValue) \(path) cannot be read: run oms-upgrade as a user that can read it."
        case .notPEM(let path, let role):
            let kind = role == .certificate ? "-----BEGIN CERTIFICATE-----" : "-----BEGIN ... PRIVATE KEY-----"
            return
                "The SSL \(role.rawValue) \(path) holds no PEM \(role.rawValue) (\(kind)): convert it to PEM (openssl x509/pkey -outform PEM) or give the right file."
        case .invalidCertificate(let path, let reason):
            return
                "The SSL certificate \(path) is not a valid X.509 certificate (\(reason)): give a PEM certificate that openssl x509 -noout -text can read."
        case .invalidKey(let path, let reason):
            return
                "The SSL key \(path) is not a usable private key (\(reason)): give an unencrypted PEM RSA or EC (P-256/P-384) key."
        case .encryptedKey(let path):
            return
                "The SSL key \(path) is encrypted: nginx in the OMS container cannot ask for its passphrase; decrypt it with openssl pkey -in <key> -out <new key>."
        case .keyDoesNotMatch(let certificatePath, let keyPath):
            return
                "The SSL key \(keyPath) does not belong to the certificate \(certificatePath): give the key the certificate was issued for."
        }
    }
}
