import CrumbsStore
import Foundation
import Testing

/// The real `crumbs run` binary: flush on SIGTERM, nothing secret on disk, constant memory.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(3)))
    struct BinaryTests {
        @Test func sigtermFlushesEveryEventAndNoCookieValueReachesTheDisk() async throws {
            let origin = try await TestOrigin.start()
            let crumbs = try CrumbsProcess()
            defer { crumbs.removeData() }
            let client = try RawClient(port: crumbs.port)
            let requests = 40
            for index in 0..<requests {
                try client.send(
                    "GET http://127.0.0.1:\(origin.port)/hello?n=\(index) HTTP/1.1\r\nHost: x\r\n"
                        + "Cookie: session=RAW-SECRET-COOKIE-VALUE-123\r\n\r\n"
                )
                #expect(client.read(untilContains: "hello").contains("200 OK"))
            }
            // Terminate at once: events still in the recorder's buffer must be flushed, not lost.
            let status = crumbs.terminate()
            await origin.stop()
            #expect(status == 0, "exit status \(String(describing: status)); log: \(crumbs.log)")

            let database = crumbs.dataDirectory.appendingPathComponent("crumbs.sqlite").path
            let store = try EventStore(path: database)
            #expect(try store.eventCount() == requests)
            let events = try store.events()
            #expect(events.allSatisfy { $0.path == "/hello" && $0.cookiesSent.first?.name == "session" })

            var bytes = Data()
            for name in try FileManager.default.contentsOfDirectory(atPath: crumbs.dataDirectory.path)
            where name.hasPrefix("crumbs.sqlite") {
                bytes += try Data(contentsOf: crumbs.dataDirectory.appendingPathComponent(name))
            }
            #expect(bytes.range(of: Data("session".utf8)) != nil, "the cookie name is stored")
            #expect(
                bytes.range(of: Data("RAW-SECRET-COOKIE-VALUE".utf8)) == nil, "a sent cookie value reached the disk")
            #expect(bytes.range(of: Data("SECRET-VALUE-1234567890".utf8)) == nil, "a set cookie value reached the disk")

            let secret = crumbs.dataDirectory.appendingPathComponent("secret.key").path
            let mode = try FileManager.default.attributesOfItem(atPath: secret)[.posixPermissions] as? Int
            #expect(mode == 0o600)
        }

        @Test func aGigabyteDownloadPassesInConstantMemory() async throws {
            let origin = try await TestOrigin.start()
            let crumbs = try CrumbsProcess()
            defer { crumbs.removeData() }
            let size = 1 << 30
            let client = try RawClient(port: crumbs.port)
            try client.send("GET http://127.0.0.1:\(origin.port)/bytes/\(size) HTTP/1.1\r\nHost: x\r\n\r\n")
            let received = client.drainBody(expecting: size, seconds: 150)
            let peak = crumbs.peakResidentBytes
            _ = crumbs.terminate()
            await origin.stop()
            #expect(received == size)
            #expect(peak < 120 << 20, "peak RSS \(peak >> 20) MiB while streaming 1 GiB")
        }

        @Test func badConfigurationIsOneClearLineAndNonZeroExit() throws {
            let process = Process()
            process.executableURL = CrumbsProcess.binary
            process.arguments = ["run", "--listen", "not-an-address", "--data-dir", "/tmp/crumbs-never-created"]
            let pipe = Pipe()
            process.standardError = pipe
            process.standardOutput = pipe
            try process.run()
            process.waitUntilExit()
            let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            #expect(process.terminationStatus != 0)
            #expect(output.contains("--listen not-an-address must be host:port"))
        }
    }
}
