import AsyncHTTPClient
import CrumbsModel
import CrumbsProxy
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// End to end over real sockets on 127.0.0.1: origin ← proxy ← client.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(2)))
    struct ForwardingTests {
        @Test func getIsForwardedWithHopByHopHeadersRemovedAndViaAdded() async throws {
            try await withOriginAndProxy { origin, proxy in

                let client = try RawClient(port: proxy.port)
                try client.send(
                    "GET http://127.0.0.1:\(origin.port)/echo?x=1 HTTP/1.1\r\nHost: wrong.example\r\n"
                        + "Connection: keep-alive, X-Drop\r\nX-Drop: 1\r\nProxy-Connection: keep-alive\r\nKeep-Alive: 300\r\n"
                        + "TE: trailers\r\nProxy-Authorization: Basic eDp5\r\nX-Keep: yes\r\n\r\n"
                )
                let response = client.read(untilContains: "x-keep: yes")
                #expect(response.hasPrefix("HTTP/1.1 200 OK"))
                #expect(response.contains("GET /echo?x=1 HTTP/1.1"))
                #expect(response.contains("host: 127.0.0.1:\(origin.port)"))
                #expect(response.contains("via: 1.1 crumbs-"))
                for dropped in ["x-drop", "proxy-connection", "keep-alive:", "te:", "proxy-authorization"] {
                    #expect(!response.lowercased().contains("\n\(dropped)"), "\(dropped) was forwarded")
                }
            }
        }

        @Test func chunkedPostBodyArrivesWhole() async throws {
            try await withOriginAndProxy { origin, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send(
                    "POST http://127.0.0.1:\(origin.port)/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n"
                )
                let response = client.read(untilContains: "hello, world")
                #expect(response.contains("transfer-encoding: chunked"))
                #expect(response.hasSuffix("hello, world"))
                let events = await proxy.sink.waitFor(count: 1)
                #expect(events.first?.bytesUp == 12)
                #expect(events.first?.method == "POST")
            }
        }

        /// AsyncHTTPClient always tunnels through a proxy with CONNECT, even for http URLs.
        @Test func asyncHTTPClientThroughTheProxy() async throws {
            try await withOriginAndProxy({ configuration, origin in configuration.connectPorts.insert(origin.port) }) {
                origin, proxy in
                var configuration = HTTPClient.Configuration()
                configuration.proxy = .server(host: "127.0.0.1", port: proxy.port)
                let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
                do {
                    try await streamBothWays(through: client, originPort: origin.port)
                } catch {
                    try await client.shutdown()
                    throw error
                }
                try await client.shutdown()
                let events = await proxy.sink.waitFor(count: 1)
                #expect(events.first?.kind == .tunnel)
                #expect(events.first.map { $0.bytesDown > 67_108_864 } == true)
            }
        }

        /// A streamed (chunked) upload and a 64 MiB download through AsyncHTTPClient.
        private func streamBothWays(through client: HTTPClient, originPort: Int) async throws {
            var post = HTTPClientRequest(url: "http://127.0.0.1:\(originPort)/echo")
            post.method = .POST
            let parts = (0..<50).map { ByteBuffer(string: "part\($0);") }
            let stream = AsyncStream<ByteBuffer> { continuation in
                for part in parts { continuation.yield(part) }
                continuation.finish()
            }
            post.body = .stream(stream, length: .unknown)
            let posted = try await client.execute(post, timeout: .seconds(10))
            let echoed = String(buffer: try await posted.body.collect(upTo: 1 << 20))
            #expect(posted.status == .ok)
            #expect(echoed.hasSuffix(parts.map { String(buffer: $0) }.joined()))

            let big = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(originPort)/bytes/67108864"),
                timeout: .seconds(60)
            )
            var received = 0
            for try await chunk in big.body { received += chunk.readableBytes }
            #expect(received == 67_108_864)
        }

        @Test func keepAliveReusesOneUpstreamConnection() async throws {
            try await withOriginAndProxy { origin, proxy in
                let client = try RawClient(port: proxy.port)
                for index in 0..<3 {
                    try client.send("GET http://127.0.0.1:\(origin.port)/echo?n=\(index) HTTP/1.1\r\nHost: x\r\n\r\n")
                    let response = client.read(untilContains: "via: 1.1 crumbs-")
                    #expect(response.contains("GET /echo?n=\(index)"))
                }
                #expect(origin.acceptedConnections == 1)
            }
        }

        @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
            try await withOriginAndProxy { origin, proxy in
                let client = try RawClient(port: proxy.port)
                let requests = (1...3).map {
                    "GET http://127.0.0.1:\(origin.port)/echo?n=\($0) HTTP/1.1\r\nHost: x\r\n\r\n"
                }
                try client.send(requests.joined())
                let response = client.read(
                    until: { $0.components(separatedBy: "HTTP/1.1 200").count == 4 && $0.contains("n=3") }, seconds: 5)
                let first = try #require(response.range(of: "/echo?n=1"))
                let second = try #require(response.range(of: "/echo?n=2"))
                let third = try #require(response.range(of: "/echo?n=3"))
                #expect(first.lowerBound < second.lowerBound && second.lowerBound < third.lowerBound)
            }
        }

        @Test func pipelinedBodiesAndLocalAnswersKeepTheirOrder() async throws {
            try await withOriginAndProxy { origin, proxy in
                let client = try RawClient(port: proxy.port)
                let echo = "http://127.0.0.1:\(origin.port)/echo"
                try client.send(
                    "POST \(echo)?n=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nfirst-body!"
                        + "POST \(echo)?n=2 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nchunk\r\n0\r\n\r\n"
                        + "GET /proxy.pac HTTP/1.1\r\nHost: 127.0.0.1:\(proxy.port)\r\n\r\n"
                        + "GET \(echo)?n=4 HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = client.read(until: { $0.contains("/echo?n=4") }, seconds: 5)
                try expectInOrder(
                    ["/echo?n=1", "first-body!", "/echo?n=2", "chunk", "FindProxyForURL", "/echo?n=4"], in: response)
                #expect(response.components(separatedBy: "HTTP/1.1 200").count == 5)
            }
        }

        @Test func aClientThatHalfClosesGetsEveryAnswerAndThenTheClose() async throws {
            try await withOriginAndProxy { origin, proxy in
                let client = try RawClient(port: proxy.port)
                let echo = "http://127.0.0.1:\(origin.port)/echo"
                try client.send(
                    "GET \(echo)?n=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /proxy.pac HTTP/1.1\r\nHost: 127.0.0.1:\(proxy.port)\r\n\r\n"
                        + "GET \(echo)?n=3 HTTP/1.1\r\nHost: x\r\n\r\n")
                client.shutdownWrite()
                let started = ContinuousClock.now
                // Ends when the proxy closes, at once: without that it took over 5 s.
                let response = client.readToEnd(seconds: 10)
                #expect(ContinuousClock.now - started < .seconds(3))
                try expectInOrder(["/echo?n=1", "FindProxyForURL", "/echo?n=3"], in: response)
                #expect(response.components(separatedBy: "HTTP/1.1 200").count == 4)
            }
        }

        @Test func headAndNotModifiedKeepTheConnectionUsable() async throws {
            try await withOriginAndProxy { origin, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("HEAD http://127.0.0.1:\(origin.port)/bytes/100 HTTP/1.1\r\nHost: x\r\n\r\n")
                let head = client.read(untilContains: "\r\n\r\n")
                #expect(head.hasPrefix("HTTP/1.1 200"))
                #expect(head.lowercased().contains("content-length: 100"))
                #expect(head.hasSuffix("\r\n\r\n"))
                try client.send("GET http://127.0.0.1:\(origin.port)/not-modified HTTP/1.1\r\nHost: x\r\n\r\n")
                let notModified = client.read(untilContains: "\r\n\r\n")
                #expect(notModified.hasPrefix("HTTP/1.1 304"))
                try client.send("GET http://127.0.0.1:\(origin.port)/no-content HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(client.read(untilContains: "\r\n\r\n").hasPrefix("HTTP/1.1 204"))
                try client.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
                let hello = client.read(untilContains: "hello")
                #expect(hello.hasPrefix("HTTP/1.1 200"), "a body leaked into the next response: \(hello.prefix(80))")
            }
        }

        @Test func closeDelimitedResponseIsReframedForHTTP11AndClosedForHTTP10() async throws {
            try await withOriginAndProxy { origin, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("GET http://127.0.0.1:\(origin.port)/close-delimited HTTP/1.1\r\nHost: x\r\n\r\n")
                let chunked = client.read(untilContains: "0\r\n\r\n")
                #expect(chunked.lowercased().contains("transfer-encoding: chunked"))
                #expect(chunked.contains("until the end"))

                let old = try RawClient(port: proxy.port)
                try old.send("GET http://127.0.0.1:\(origin.port)/close-delimited HTTP/1.0\r\n\r\n")
                let closed = old.readToEnd()
                #expect(closed.hasPrefix("HTTP/1.0 200"))
                #expect(closed.hasSuffix("until the end"))
            }
        }

        /// Every mark is in `response`, in this order (pipelined answers keep their requests' order).
        private func expectInOrder(
            _ marks: [String], in response: String, sourceLocation: SourceLocation = #_sourceLocation
        ) throws {
            let positions = try marks.map {
                try #require(response.range(of: $0), "\($0) missing", sourceLocation: sourceLocation).lowerBound
            }
            #expect(positions == positions.sorted(), sourceLocation: sourceLocation)
        }
    }
}
