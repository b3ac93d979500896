import CrumbsStore
import CrumbsTestSupport
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

        @Test func aFullDiskIsLoggedOnceAndForwardingGoesOn() async throws {
            let origin = try await TestOrigin.start()
            let crumbs = try CrumbsProcess(fileSizeLimitKiB: 400)
            defer { crumbs.removeData() }
            let client = try RawClient(port: crumbs.port)
            var answered = 0
            for batch in 0..<30 {
                let requests = (0..<50).map { index in
                    "GET http://127.0.0.1:\(origin.port)/hello?n=\(batch * 50 + index) HTTP/1.1\r\nHost: x\r\n"
                        + "Cookie: a=\(String(repeating: "v", count: 200))\r\n\r\n"
                }
                try client.send(requests.joined())
                let responses = client.read(until: { $0.components(separatedBy: "hello").count > 50 }, seconds: 10)
                answered += responses.components(separatedBy: "HTTP/1.1 200 OK").count - 1
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(answered == 1500, "the proxy must keep forwarding while the store fails")
            try await Task.sleep(for: .milliseconds(500))
            let status = crumbs.terminate(seconds: 20)
            await origin.stop()
            let errors = crumbs.log.components(separatedBy: "cannot store events").count - 1
            #expect(errors == 1, "one clear error, not one per retry: \(crumbs.log.suffix(2000))")
            #expect(crumbs.log.contains("File too large") || crumbs.log.contains("disk") || crumbs.log.contains("full"))
            #expect(status != nil, "crumbs must exit (not hang) when events cannot be flushed")
        }

        @Test func aRemovedDatabaseIsStartedAfreshAndLaterEventsAreKept() async throws {
            let origin = try await TestOrigin.start()
            let crumbs = try CrumbsProcess()
            defer { crumbs.removeData() }
            let database = crumbs.dataDirectory.appendingPathComponent("crumbs.sqlite").path
            let client = try RawClient(port: crumbs.port)
            func request(_ name: String) throws {
                try client.send("GET http://127.0.0.1:\(origin.port)/\(name) HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = client.read(untilContains: "\r\n\r\n")
            }
            try request("before")
            try await Task.sleep(for: .milliseconds(400))
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: database + suffix) }
            try request("after-1")
            try request("after-2")
            #expect(crumbs.terminate() == 0)
            await origin.stop()
            let paths = try EventStore(path: database).events().compactMap(\.path)
            #expect(paths == ["/after-1", "/after-2"])
            #expect(crumbs.log.contains("database file was removed"))
        }

        @Test func listsReloadWhileServing() async throws {
            let origin = try await TestOrigin.start()
            let crumbs = try CrumbsProcess()
            defer { crumbs.removeData() }
            let (status, output, errors) = try ListsCLITests.crumbs([
                "lists", "reload", "--data-dir", crumbs.dataDirectory.path,
            ])
            #expect(status == 0, "\(errors)")
            #expect(output.contains("asked crumbs (pid \(crumbs.process.processIdentifier)) to reload"))
            let deadline = Date().addingTimeInterval(10)
            while crumbs.log.components(separatedBy: "lists loaded").count < 3 && Date() < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect(crumbs.log.contains("reloading lists"))
            let client = try RawClient(port: crumbs.port)
            try client.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(client.read(untilContains: "hello").hasPrefix("HTTP/1.1 200"))
            #expect(crumbs.terminate() == 0)
            await origin.stop()
            #expect(
                !FileManager.default.fileExists(atPath: crumbs.dataDirectory.appendingPathComponent("crumbs.pid").path))
        }

        @Test func badConfigurationIsOneClearLineAndNonZeroExit() throws {
            let process = Process()
            Unprivileged.configure(
                process, executable: CrumbsProcess.binary.path,
                arguments: ["run", "--listen", "not-an-address", "--data-dir", "/tmp/crumbs-never-created"])
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
