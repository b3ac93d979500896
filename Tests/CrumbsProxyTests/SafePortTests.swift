import CrumbsProxy
import Testing

extension EndToEnd {
    /// Plain HTTP goes only to web ports and unprivileged ones, unless the operator allows more.
    @Suite(.timeLimit(.minutes(1)))
    struct SafePortTests {
        @Test(arguments: [22, 25, 110, 1024])
        func plainHTTPToAPrivilegedServicePortIsRefusedWithTheReason(port: Int) async throws {
            try await withOriginAndProxy { _, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("GET http://127.0.0.1:\(port)/ HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
                let answer = client.read(untilContains: "</html>")
                #expect(answer.hasPrefix("HTTP/1.1 403"), "answer: \(answer.prefix(200))")
                #expect(answer.contains("Forwarding plain HTTP to port \(port) is not allowed"))
                #expect(answer.contains("--http-port"))
            }
        }

        @Test func anAllowedExtraPortIsForwarded() async throws {
            try await withOriginAndProxy({ configuration, _ in configuration.extraHTTPPorts = [25] }) { _, proxy in
                let client = try RawClient(port: proxy.port)
                // Nothing listens on 25 here: the proxy tries, so the answer is a gateway error.
                try client.send("GET http://127.0.0.1:25/ HTTP/1.1\r\nHost: 127.0.0.1:25\r\n\r\n")
                #expect(client.read(untilContains: "</html>").hasPrefix("HTTP/1.1 502"))
            }
        }

        @Test func theSafeListFollowsSquid() {
            for port in [80, 443, 280, 488, 591, 777, 1025, 8080, 65535] { #expect(SafePorts.allowsHTTP(port)) }
            for port in [0, 21, 22, 23, 25, 53, 110, 143, 465, 587, 1024] { #expect(!SafePorts.allowsHTTP(port)) }
            #expect(SafePorts.allowsHTTP(25, extra: [25]))
        }
    }
}
