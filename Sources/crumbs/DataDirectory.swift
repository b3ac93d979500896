import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The data directory holds a browsing record and the key of the cookie hashes, so only its
/// owner may enter it. An existing directory or key file that others can reach is tightened (and
/// said so); one that belongs to somebody else is refused, as Crumbs could not tighten it and
/// must not write a record into it.
enum DataDirectory {
    /// Creates `path` with mode 0700, or checks an existing one. Returns what was tightened.
    static func prepare(_ path: String) throws -> [String] {
        var notices: [String] = []
        var info = stat()
        if stat(path, &info) != 0 {
            do {
                try FileManager.default.createDirectory(
                    atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw CLIError("cannot create data directory \(path): \(error.localizedDescription)")
            }
            return notices
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw CLIError("data directory \(path) is not a directory") }
        if let notice = try restrict(path, info: info, mode: 0o700, what: "data directory") { notices.append(notice) }
        return notices
    }

    /// Makes sure the private file at `path` (the hash key) is readable by its owner only.
    static func restrictFile(_ path: String) throws -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return try restrict(path, info: info, mode: 0o600, what: "key file")
    }

    private static func restrict(_ path: String, info: stat, mode: mode_t, what: String) throws -> String? {
        let permissions = info.st_mode & 0o777
        guard permissions & 0o077 != 0 else { return nil }
        guard info.st_uid == geteuid() else {
            throw CLIError(
                "\(what) \(path) belongs to another user and others may reach it (mode \(octal(permissions)));"
                    + " use a directory of your own (--data-dir)")
        }
        guard chmod(path, mode) == 0 else {
            throw CLIError(
                "\(what) \(path) has mode \(octal(permissions)) and cannot be tightened: \(String(cString: strerror(errno)))"
            )
        }
        return "\(what) \(path) had mode \(octal(permissions)); tightened to \(octal(mode))"
    }

    private static func octal(_ mode: mode_t) -> String { "0" + String(mode, radix: 8) }
}
