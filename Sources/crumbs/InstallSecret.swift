import Foundation
import Logging

/// The per-install secret that keys cookie value hashes. Created once with mode 0600 in the data
/// directory; without it, hashes from different installs cannot be compared (by design).
enum InstallSecret {
    static let fileName = "secret.key"

    static func load(dataDirectory: String, logger: Logger? = nil) throws -> Data {
        let path = dataDirectory + "/" + fileName
        if let notice = try DataDirectory.restrictFile(path) { logger?.warning("\(notice)") }
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count >= 32 else {
                throw CLIError("\(path) is damaged (shorter than 32 bytes); remove it to make a new one")
            }
            return data
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for index in bytes.indices { bytes[index] = generator.next() }
        let data = Data(bytes)
        try write(data, to: path)
        return data
    }

    /// Writes `secret` back if its file is gone (the data directory was removed while running).
    static func restore(_ secret: Data, dataDirectory: String) throws {
        let path = dataDirectory + "/" + fileName
        guard !FileManager.default.fileExists(atPath: path) else { return }
        try write(secret, to: path)
    }

    private static func write(_ data: Data, to path: String) throws {
        // Create with 0600 from the start so the secret is never readable by others, even briefly.
        let created = FileManager.default.createFile(
            atPath: path, contents: data, attributes: [.posixPermissions: 0o600]
        )
        guard created else { throw CLIError("cannot create \(path)") }
    }
}
