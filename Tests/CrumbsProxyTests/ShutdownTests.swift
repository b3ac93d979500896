import CrumbsStore
import Foundation
import NIOConcurrencyHelpers
import Testing

extension EndToEnd {
    /// `crumbs run` stopped by SIGTERM while busy: connections finish what they serve, and every
    /// request a client saw answered is in the store.
    @Suite(.timeLimit(.minutes(2)))
    struct ShutdownTests {
        @Test func sigtermUnderLoadRecordsEveryAnsweredRequest() async throws {
            let origin = try await TestOrigin.start()
            let crumbs = try CrumbsProcess()
            defer { crumbs.removeData() }
            let answered = NIOLockedValueBox(0)
            let stop = NIOLockedValueBox(false)
            let port = crumbs.port
            let finished = DispatchGroup()
            for client in 0..<16 {
                finished.enter()
                Thread.detachNewThread {
                    defer { finished.leave() }
                    guard let connection = try? RawClient(port: port) else { return }
                    var index = 0
                    while !stop.withLockedValue({ $0 }) {
                        let request = "GET http://127.0.0.1:\(origin.port)/hello?c=\(client)&n=\(index) HTTP/1.1\r\n"
                        guard (try? connection.send(request + "Host: x\r\n\r\n")) != nil else { return }
                        let response = connection.read(untilContains: "hello", seconds: 10)
                        // A response counts only when the whole of it arrived (body "hello").
                        guard response.hasPrefix("HTTP/1.1 200"), response.hasSuffix("hello") else { return }
                        answered.withLockedValue { $0 += 1 }
                        index += 1
                    }
                }
            }
            // Under way for a while, then stopped in the middle of the load.
            try await Task.sleep(for: .milliseconds(1500))
            let status = crumbs.terminate(seconds: 20)
            stop.withLockedValue { $0 = true }
            #expect(finished.wait(timeout: .now() + 15) == .success, "clients did not finish")
            await origin.stop()
            #expect(status == 0, "exit status \(String(describing: status)); log: \(crumbs.log)")

            let count = answered.withLockedValue { $0 }
            #expect(count > 100, "the load did not get going: \(count) answers")
            let store = try EventStore(path: crumbs.dataDirectory.appendingPathComponent("crumbs.sqlite").path)
            let recorded = try store.events().filter { $0.path == "/hello" && $0.status == 200 }.count
            #expect(recorded >= count, "\(count) answered, \(recorded) recorded; log: \(crumbs.log.suffix(2000))")
            #expect(!crumbs.log.contains("not recorded"), "log: \(crumbs.log.suffix(2000))")
        }
    }
}
