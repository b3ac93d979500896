import CrumbsTestSupport
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

extension EndToEnd {
    /// The data directory holds a browsing record and the hash key: only its owner reaches it, a
    /// stale pid file never gets an unrelated process signalled, and removing the directory under
    /// a running crumbs loses neither the key nor the pid file.
    @Suite(.timeLimit(.minutes(2)))
    struct DataDirectoryTests {
        static func scratch() -> URL {
            FileManager.default.temporaryDirectory.appendingPathComponent("crumbs-data-\(UUID().uuidString)")
        }

        static func mode(_ url: URL) -> Int {
            (try? FileManager.default.attributesOfItem(atPath: url.path)[.posixPermissions] as? Int) ?? -1
        }

        @Test func anOpenDataDirectoryAndKeyAreTightenedAndSaidSo() throws {
            let directory = Self.scratch()
            try FileManager.default.createDirectory(
                at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o777])
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory.path)
            let key = directory.appendingPathComponent("secret.key")
            FileManager.default.createFile(
                atPath: key.path, contents: Data(repeating: 9, count: 32), attributes: [.posixPermissions: 0o644])
            let crumbs = try CrumbsProcess(dataDirectory: directory)
            defer { crumbs.removeData() }
            #expect(Self.mode(directory) == 0o700)
            #expect(Self.mode(key) == 0o600)
            #expect(crumbs.log.contains("data directory \(directory.path) had mode 0777; tightened to 0700"))
            #expect(crumbs.log.contains("key file \(key.path) had mode 0644; tightened to 0600"))
            #expect(crumbs.terminate() == 0)
        }

        @Test func anOpenDataDirectoryOfAnotherUserIsRefused() throws {
            // Only root can make a directory that belongs to someone other than crumbs' user.
            guard Unprivileged.isRoot else { return }
            let directory = Self.scratch()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: directory.path)
            defer { try? FileManager.default.removeItem(at: directory) }
            let process = Process()
            Unprivileged.configure(
                process, executable: CrumbsProcess.binary.path,
                arguments: ["run", "--listen", "127.0.0.1:0", "--data-dir", directory.path, "--no-default-lists"])
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus != 0)
            #expect(output.contains("belongs to another user and others may reach it (mode 0777)"), "\(output)")
        }

        @Test func aStalePidFileGetsNothingSignalled() throws {
            // An unrelated process whose pid a crashed crumbs left behind.
            let bystander = Process()
            bystander.executableURL = URL(fileURLWithPath: "/bin/sleep")
            bystander.arguments = ["20"]
            try bystander.run()
            defer {
                kill(bystander.processIdentifier, SIGKILL)
                bystander.waitUntilExit()
            }
            let directory = Self.scratch()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            try "\(bystander.processIdentifier)\n".write(
                to: directory.appendingPathComponent("crumbs.pid"), atomically: true, encoding: .utf8)
            let (status, _, errors) = try ListsCLITests.crumbs(["lists", "reload", "--data-dir", directory.path])
            #expect(status != 0)
            #expect(errors.contains("is stale: pid \(bystander.processIdentifier)"), "\(errors)")
            Thread.sleep(forTimeInterval: 0.2)
            #expect(bystander.isRunning, "the unrelated process was signalled")
        }

        @Test func aSecondCrumbsOnTheSameDataDirectoryIsRefused() throws {
            let first = try CrumbsProcess()
            defer { first.removeData() }
            #expect(throws: (any Error).self) { try CrumbsProcess(dataDirectory: first.dataDirectory) }
            #expect(first.terminate() == 0)
            #expect(
                !FileManager.default.fileExists(atPath: first.dataDirectory.appendingPathComponent("crumbs.pid").path))
        }

        @Test func aRemovedDataDirectoryGetsItsKeyAndPidFileBack() async throws {
            let origin = try await TestOrigin.start()
            let crumbs = try CrumbsProcess()
            defer { crumbs.removeData() }
            let key = crumbs.dataDirectory.appendingPathComponent("secret.key")
            let secret = try Data(contentsOf: key)
            let client = try RawClient(port: crumbs.port)
            try client.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = client.read(untilContains: "hello")
            try await Task.sleep(for: .milliseconds(300))
            try FileManager.default.removeItem(at: crumbs.dataDirectory)
            try client.send("GET http://127.0.0.1:\(origin.port)/after HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = client.read(untilContains: "\r\n\r\n")
            let pid = crumbs.dataDirectory.appendingPathComponent("crumbs.pid")
            let deadline = Date().addingTimeInterval(5)
            while !FileManager.default.fileExists(atPath: pid.path) && Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect((try? Data(contentsOf: key)) == secret, "the key was not restored as it was")
            #expect(Self.mode(crumbs.dataDirectory) == 0o700)
            #expect(FileManager.default.fileExists(atPath: pid.path))
            let (status, output, errors) = try ListsCLITests.crumbs([
                "lists", "reload", "--data-dir", crumbs.dataDirectory.path,
            ])
            #expect(status == 0 && output.contains("asked crumbs"), "\(errors)")
            #expect(crumbs.terminate() == 0)
            await origin.stop()
        }
    }
}
