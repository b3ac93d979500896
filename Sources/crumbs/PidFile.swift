import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// `<data-dir>/crumbs.pid`: the running `crumbs run` writes its pid there and holds an exclusive
/// lock on the file for as long as it lives. `crumbs lists reload` signals the pid only while
/// the lock is held, so a pid file left behind by a crash (whose pid the system may have given
/// to an unrelated process since) is recognised as stale and nothing is signalled. The lock also
/// keeps a second `crumbs run` off the same data directory.
final class PidFile: Sendable {
    static let name = "crumbs.pid"

    let path: String
    /// The open, locked file; -1 once removed. Restored from the recorder's thread.
    private let descriptor: Mutex<Int32>

    /// Writes our pid and takes the lock; fails when another crumbs holds it.
    init(dataDirectory: String) throws {
        path = dataDirectory + "/" + Self.name
        descriptor = Mutex(try Self.claim(path))
    }

    deinit {
        remove()
    }

    /// Writes the file again if it was removed (with the data directory) while we run.
    func restore() throws {
        guard !FileManager.default.fileExists(atPath: path) else { return }
        try descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            close(descriptor)
            descriptor = try Self.claim(path)
        }
    }

    /// Removes the file and lets the lock go (at exit).
    func remove() {
        descriptor.withLock { descriptor in
            guard descriptor >= 0 else { return }
            unlink(path)
            close(descriptor)
            descriptor = -1
        }
    }

    private static func claim(_ path: String) throws -> Int32 {
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
            let other = readPid(descriptor).map { " (pid \($0))" } ?? ""
            close(descriptor)
            throw CLIError("another crumbs\(other) is already running with this data directory")
        }
        let text = "\(getpid())\n"
        guard ftruncate(descriptor, 0) == 0, write(descriptor, text, text.utf8.count) == text.utf8.count else {
            close(descriptor)
            throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        return descriptor
    }

    /// The pid of the crumbs running with `dataDirectory`: present only while its lock is held.
    static func runningProcess(dataDirectory: String) throws -> pid_t {
        let path = dataDirectory + "/" + name
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw CLIError("no running crumbs found (\(path) is missing)") }
        defer { close(descriptor) }
        // A shared lock is granted only when nobody holds the exclusive one: then nobody runs.
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            let pid = readPid(descriptor).map { "pid \($0)" } ?? "no pid"
            throw CLIError(
                "no running crumbs found (\(path) is stale: \(pid) left by a crumbs that did not stop cleanly);"
                    + " nothing was signalled")
        }
        guard errno == EWOULDBLOCK, let pid = readPid(descriptor), pid > 1 else {
            throw CLIError("cannot tell whether crumbs runs (\(path)): \(String(cString: strerror(errno)))")
        }
        return pid
    }

    private static func readPid(_ descriptor: Int32) -> pid_t? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return pid_t(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
