import Foundation
import SandboxSupport
import Testing

@testable import OMSDeployment

@Suite("SSL pair validation")
struct SSLPairTests {
    @Test("a good RSA pair and good EC pairs pass")
    func goodPairs() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let (rsaCert, rsaKey) = try certificates.rsaPair()
        try SSLPair(certificatePath: rsaCert, keyPath: rsaKey).validate()
        let (ecCert, ecKey) = try certificates.ecPair()
        try SSLPair(certificatePath: ecCert, keyPath: ecKey).validate()
        let (p384Cert, p384Key) = try certificates.ecPair("p384", curve: "secp384r1")
        try SSLPair(certificatePath: p384Cert, keyPath: p384Key).validate()
        // A legacy "RSA PRIVATE KEY" (PKCS#1) key works too.
        let legacy = certificates.directory.file("legacy.key")
        _ = try Sandbox.runChecked("openssl", ["rsa", "-in", rsaKey, "-out", legacy, "-traditional"])
        try SSLPair(certificatePath: rsaCert, keyPath: legacy).validate()
        // A chain after the leaf is fine.
        let chain = try certificates.directory.write(
            "chain.crt",
            try String(contentsOfFile: rsaCert, encoding: .utf8) + String(contentsOfFile: ecCert, encoding: .utf8))
        try SSLPair(certificatePath: chain, keyPath: rsaKey).validate()
    }

    @Test("certificate without its key file")
    func missingKey() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let (cert, _) = try certificates.rsaPair()
        let missing = certificates.directory.file("nope.key")
        let error = try #require(throws: SSLPairError.self) {
            try SSLPair(certificatePath: cert, keyPath: missing).validate()
        }
        #expect(error.problem == .missing(path: missing, role: .key))
        #expect(error.description.contains(missing))
        let noCert = try #require(throws: SSLPairError.self) {
            try SSLPair(certificatePath: certificates.directory.file("nope.crt"), keyPath: missing).validate()
        }
        #expect(noCert.problem == .missing(path: certificates.directory.file("nope.crt"), role: .certificate))
    }

    @Test("a key that is not the certificate's")
    func mismatch() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let (cert, _) = try certificates.rsaPair("one")
        let (_, otherKey) = try certificates.rsaPair("two")
        let error = try #require(throws: SSLPairError.self) {
            try SSLPair(certificatePath: cert, keyPath: otherKey).validate()
        }
        #expect(error.problem == .keyDoesNotMatch(certificatePath: cert, keyPath: otherKey))
        let (_, ecKey) = try certificates.ecPair()
        #expect(throws: SSLPairError.self) { try SSLPair(certificatePath: cert, keyPath: ecKey).validate() }
    }

    @Test("garbage PEM, non-PEM files, swapped files, an encrypted key")
    func garbage() throws {
        let certificates = try TestCertificates()
        defer { certificates.remove() }
        let (cert, key) = try certificates.rsaPair()
        let garbageCert = try certificates.directory.write(
            "garbage.crt", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n")
        let garbageKey = try certificates.directory.write(
            "garbage.key", "-----BEGIN PRIVATE KEY-----\nbm90IGEga2V5\n-----END PRIVATE KEY-----\n")
        let text = try certificates.directory.write("text.crt", "hello, not PEM at all\n")

        let badCert = try #require(throws: SSLPairError.self) {
            try SSLPair(certificatePath: garbageCert, keyPath: key).validate()
        }
        guard case .invalidCertificate(let path, _) = badCert.problem else {
            Issue.record("\(badCert.problem)")
            return
        }
        #expect(path == garbageCert)

        let badKey = try #require(throws: SSLPairError.self) {
            try SSLPair(certificatePath: cert, keyPath: garbageKey).validate()
        }
        guard case .invalidKey(let keyPath, _) = badKey.problem else {
            Issue.record("\(badKey.problem)")
            return
        }
        #expect(keyPath == garbageKey)

        let notPEM = try #require(throws: SSLPairError.self) {
            try SSLPair(certificatePath: text, keyPath: key).validate()
        }
        #expect(notPEM.problem == .notPEM(path: text, role: .certificate))

        let swapped = try #require(throws: SSLPairError.self) {
            try SSLPair(certificatePath: key, keyPath: cert).validate()
        }
        #expect(swapped.problem == .notPEM(path: key, role: .certificate))

        let encrypted = try certificates.encryptedKey()
        let locked = try #require(throws: SSLPairError.self) {
            try SSLPair(certificatePath: cert, keyPath: encrypted).validate()
        }
        #expect(locked.problem == .encryptedKey(path: encrypted))
    }
}
