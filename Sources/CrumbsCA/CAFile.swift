import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The few POSIX file operations the CA needs, done with open(2)/mkdir(2) rather than FileManager
/// because FileManager applies `.posixPermissions` *after* writing, leaving a window in which a
/// private key would be readable under the umask's default mode.
enum CAFile {
    /// Makes `path` (and missing parents) with mode 0700; tightens an existing CA directory.
    static func makePrivateDirectory(_ path: String) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw CAError(.writeFailed, path: path, detail: "exists and is not a directory")
            }
            // Only our own directory is tightened: it holds the key and nothing anyone else needs.
            guard chmod(path, 0o700) == 0 else { throw CAError(.writeFailed, path: path, detail: errnoText()) }
            return
        }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, !FileManager.default.fileExists(atPath: parent) {
            try makePrivateDirectory(parent)
        }
        guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
            throw CAError(.writeFailed, path: path, detail: errnoText())
        }
    }

    /// Writes a new file that must not exist yet, created with `mode` by open(2) itself so the
    /// bytes are never visible with a wider mode. Removes the file again if writing fails.
    static func writeNew(_ bytes: [UInt8], to path: String, mode: mode_t) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard descriptor >= 0 else { throw CAError(.writeFailed, path: path, detail: errnoText()) }
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failure = errnoText()
                    return
                }
                offset += written
            }
        }
        // fsync so a crash right after `init` cannot leave an empty key beside a valid certificate.
        if failure == nil, fsync(descriptor) != 0 { failure = errnoText() }
        if close(descriptor) != 0, failure == nil { failure = errnoText() }
        if let failure {
            unlink(path)
            throw CAError(.writeFailed, path: path, detail: failure)
        }
    }

    /// Replaces `destination` with `source` in one step (rename(2) is atomic within a directory).
    static func move(_ source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else {
            throw CAError(.writeFailed, path: destination, detail: errnoText())
        }
    }

    static func remove(_ path: String) {
        unlink(path)
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Permission bits of `path`, or nil when it does not exist.
    static func mode(of path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Reads a file as UTF-8 text; a missing file is `missing` for the directory it should be in.
    static func readText(_ path: String, directory: String) throws -> String {
        guard exists(path) else { throw CAError(.missing, path: directory) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CAError(.unreadable, path: path, detail: error.localizedDescription)
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw CAError(.corrupt, path: path, detail: "not UTF-8 text")
        }
        return text
    }

    static func octal(_ mode: mode_t) -> String {
        "0" + String(mode, radix: 8)
    }

    private static func errnoText() -> String {
        String(cString: strerror(errno))
    }
}
