import Foundation
import X509

extension SSLPair {
    /// Checks that both files exist and are readable, that the certificate and the key are PEM
    /// that parses (RSA, EC P-256/P-384/P-521, Ed25519 keys), and that the key is the
    /// certificate's; throws the ``SSLPairError`` of the first problem found.
    public func validate() throws {
        let certificateText = try Self.read(certificatePath, role: .certificate)
        let keyText = try Self.read(keyPath, role: .key)

        // The first CERTIFICATE block is the server's; any following ones are its chain.
        guard let certificateBlock = PEMBlock.all(in: certificateText).first(where: { $0.label == "CERTIFICATE" })
        else {
            throw SSLPairError(.notPEM(path: certificatePath, role: .certificate))
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: certificateBlock.text)
        } catch {
            throw SSLPairError(.invalidCertificate(path: certificatePath, reason: Self.shortReason(error)))
        }

        let keyBlocks = PEMBlock.all(in: keyText)
        if keyBlocks.contains(where: { $0.label == "ENCRYPTED PRIVATE KEY" || $0.isLegacyEncrypted }) {
            throw SSLPairError(.encryptedKey(path: keyPath))
        }
        guard let keyBlock = keyBlocks.first(where: { $0.label.hasSuffix("PRIVATE KEY") }) else {
            throw SSLPairError(.notPEM(path: keyPath, role: .key))
        }
        let key: Certificate.PrivateKey
        do {
            key = try Certificate.PrivateKey(pemEncoded: keyBlock.text)
        } catch {
            throw SSLPairError(.invalidKey(path: keyPath, reason: Self.shortReason(error)))
        }
        guard key.publicKey == certificate.publicKey else {
            throw SSLPairError(.keyDoesNotMatch(certificatePath: certificatePath, keyPath: keyPath))
        }
    }

    private static func read(_ path: String, role: SSLPairError.Role) throws -> String {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw SSLPairError(.missing(path: path, role: role))
        }
        guard manager.isReadableFile(atPath: path),
            let data = manager.contents(atPath: path)
        else {
            throw SSLPairError(.unreadable(path: path, role: role))
        }
        // PEM is ASCII; anything else (DER, garbage) has no PEM block.
        return String(decoding: data, as: UTF8.self)
    }

    /// The first line of a parser's complaint, without key material (parsers print none).
    private static func shortReason(_ error: any Error) -> String {
        let text = String(describing: error)
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? text
        return line.count > 160 ? String(line.prefix(160)) + "..." : line
    }
}

/// One `-----BEGIN X----- ... -----END X-----` block of a PEM file.
struct PEMBlock: Equatable {
    /// The label, e.g. `CERTIFICATE`, `RSA PRIVATE KEY`.
    var label: String
    /// The whole block, BEGIN and END lines included.
    var text: String
    /// Whether it carries OpenSSL's legacy `Proc-Type: 4,ENCRYPTED` header.
    var isLegacyEncrypted: Bool

    /// Every block in `text`, in order.
    static func all(in text: String) -> [PEMBlock] {
        var blocks: [PEMBlock] = []
        var current: (label: String, lines: [String])?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if current == nil, line.hasPrefix("-----BEGIN "), line.hasSuffix("-----") {
                let label = String(line.dropFirst("-----BEGIN ".count).dropLast(5))
                current = (label, [line])
            } else if var block = current {
                block.lines.append(line)
                if line == "-----END \(block.label)-----" {
                    let body = block.lines.joined(separator: "\n") + "\n"
                    blocks.append(
                        PEMBlock(
                            label: block.label, text: body,
                            isLegacyEncrypted: block.lines.contains {
                                $0.hasPrefix("Proc-Type:") && $0.contains("ENCRYPTED")
                            }))
                    current = nil
                } else {
                    current = block
                }
            }
        }
        return blocks
    }
}
