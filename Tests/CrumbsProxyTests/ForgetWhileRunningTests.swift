import CrumbsStore
import CrumbsTestSupport
import Foundation
import Testing

/// `crumbs forget` beside a running `crumbs run`: it goes through the store without stopping the
/// proxy, the forgotten host leaves every file, and the proxy goes on recording.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(3)))
    struct ForgetWhileRunningTests {
        @Test func forgettingASiteWhileTheProxyRunsLeavesNoTraceAndRecordingGoesOn() async throws {
            // Every host goes to the local origin through --upstream: no name is ever resolved.
            let origin = try await TestOrigin.start()
            let crumbs = try CrumbsProcess(arguments: ["--upstream", "http://127.0.0.1:\(origin.port)"])
            defer { crumbs.removeData() }
            let client = try RawClient(port: crumbs.port)
            func get(_ host: String, _ index: Int) throws {
                try client.send("GET http://\(host)/hello?n=\(index) HTTP/1.1\r\nHost: \(host)\r\n\r\n")
                #expect(client.read(untilContains: "hello").contains("HTTP/1.1"))
            }
            for index in 0..<10 {
                try get("www.secret-clinic.test", index)
                try get("www.news.test", index)
            }
            let database = crumbs.dataDirectory.appendingPathComponent("crumbs.sqlite").path
            #expect(try await Self.eventually { try EventStore(path: database).eventCount() == 20 })

            let forget = Process()
            Unprivileged.configure(
                forget, executable: CrumbsProcess.binary.path,
                arguments: ["forget", "--data-dir", crumbs.dataDirectory.path, "--site", "secret-clinic.test", "--yes"])
            var environment = ProcessInfo.processInfo.environment
            environment["XDG_CONFIG_HOME"] = crumbs.dataDirectory.appendingPathComponent("config").path
            forget.environment = environment
            let output = Pipe()
            forget.standardOutput = output
            forget.standardError = output
            try forget.run()
            let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            forget.waitUntilExit()
            #expect(forget.terminationStatus == 0, "\(text)")
            #expect(text.contains("Forgotten: 10 events"), "\(text)")

            // The proxy records on, into the same (rebuilt) database.
            for index in 10..<15 { try get("www.news.test", index) }
            #expect(try await Self.eventually { try EventStore(path: database).eventCount() == 15 })
            #expect(crumbs.terminate() == 0, "\(crumbs.log)")
            await origin.stop()

            let store = try EventStore(path: database)
            #expect(try store.integrityCheck() == ["ok"])
            #expect(try store.events().allSatisfy { $0.host == "www.news.test" })
            var bytes = Data()
            for case let name as String in FileManager.default.enumerator(atPath: crumbs.dataDirectory.path) ?? .init()
            {
                let url = crumbs.dataDirectory.appendingPathComponent(name)
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                    bytes += try Data(contentsOf: url)
                }
            }
            #expect(bytes.range(of: Data("secret-clinic".utf8)) == nil, "the forgotten host is still on disk")
            #expect(bytes.range(of: Data("www.news.test".utf8)) != nil)
        }

        static func eventually(_ condition: () throws -> Bool) async throws -> Bool {
            let deadline = Date().addingTimeInterval(20)
            while Date() < deadline {
                if try condition() { return true }
                try await Task.sleep(for: .milliseconds(50))
            }
            return try condition()
        }
    }
}
