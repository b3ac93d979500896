import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Runs the `crumbs` binary as an ordinary user would: when the tests run as root (as on the
/// build machines), the child drops to `nobody` with `setpriv`. Root hides faults that every real
/// user meets (a socket option that needs CAP_NET_ADMIN, a file only root may write), so no test
/// starts crumbs as root.
public enum Unprivileged {
    public static let user = "nobody"
    public static let group = "nogroup"

    public static var isRoot: Bool { geteuid() == 0 }

    /// The executable and arguments that run `executable arguments` unprivileged.
    public static func command(_ executable: String, _ arguments: [String]) -> (executable: String, arguments: [String])
    {
        guard isRoot else { return (executable, arguments) }
        return (
            "/usr/bin/setpriv",
            ["--reuid=\(user)", "--regid=\(group)", "--clear-groups", "--", executable] + arguments
        )
    }

    /// As `command`, but the unprivileged child keeps these capabilities (`net_raw`,
    /// `net_admin`): what `setcap` on the binary gives a real user for live capture.
    public static func command(
        _ executable: String, _ arguments: [String], keeping capabilities: [String]
    ) -> (executable: String, arguments: [String]) {
        guard isRoot, !capabilities.isEmpty else { return command(executable, arguments) }
        let list = capabilities.map { "+\($0)" }.joined(separator: ",")
        return (
            "/usr/bin/setpriv",
            [
                "--reuid=\(user)", "--regid=\(group)", "--clear-groups", "--inh-caps=\(list)",
                "--ambient-caps=\(list)", "--", executable,
            ] + arguments
        )
    }

    /// Configures `process` to run `executable arguments` unprivileged.
    public static func configure(_ process: Process, executable: String, arguments: [String]) {
        let command = command(executable, arguments)
        process.executableURL = URL(fileURLWithPath: command.executable)
        process.arguments = command.arguments
    }

    /// Gives `url` (and everything under it) to the unprivileged user, so that the child can write
    /// where the test prepared files as root. Does nothing when `url` does not exist.
    public static func handOver(_ url: URL) throws {
        guard isRoot, FileManager.default.fileExists(atPath: url.path) else { return }
        guard let account = getpwnam(user) else { throw UnprivilegedError("no user \(user) on this machine") }
        let (uid, gid) = (account.pointee.pw_uid, account.pointee.pw_gid)
        var paths = [url.path]
        if let walker = FileManager.default.enumerator(atPath: url.path) {
            for case let relative as String in walker { paths.append(url.path + "/" + relative) }
        }
        for path in paths where lchown(path, uid, gid) != 0 {
            throw UnprivilegedError("chown \(path): \(String(cString: strerror(errno)))")
        }
    }
}

public struct UnprivilegedError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
