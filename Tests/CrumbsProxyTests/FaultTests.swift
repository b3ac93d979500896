import CrumbsProxy
import Foundation
import NIOCore
import NIOPosix
import Testing

/// Bad input and broken upstreams get a clear answer; nothing crashes; descriptors come back.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(2)))
    struct FaultTests {
        @Test func malformedRequestGets400() async throws {
            try await withOriginAndProxy { _, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("THIS IS NOT HTTP\r\n\r\n")
                let response = client.readToEnd()
                #expect(response.hasPrefix("HTTP/1.1 400 Bad Request"))
                #expect(response.contains("Connection: close") || response.contains("connection: close"))
            }
        }

        @Test func aBodyFoundMalformedAfterTheHeadWentUpstreamIsRecordedAs400() async throws {
            try await withOriginAndProxy { origin, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send(
                    "POST http://127.0.0.1:\(origin.port)/echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\nZZZ\r\n")
                #expect(client.readToEnd().hasPrefix("HTTP/1.1 400"))
                let event = try #require(await proxy.sink.waitFor(count: 1).first)
                #expect(event.status == 400, "event: \(event)")
                #expect(event.failure?.hasPrefix("malformed request from the client") == true, "event: \(event)")
            }
        }

        @Test func badRequestTargetGets400NamingTheProblem() async throws {
            try await withOriginAndProxy { _, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("GET ftp://example.com/file HTTP/1.1\r\nHost: example.com\r\n\r\n")
                let response = client.readToEnd()
                #expect(response.hasPrefix("HTTP/1.1 400"))
                #expect(response.contains("scheme ftp is not supported"))
            }
        }

        @Test func oversizedRequestHeadGets431() async throws {
            try await withOriginAndProxy { origin, proxy in
                let client = try RawClient(port: proxy.port)
                let filler = String(repeating: "a", count: 70 * 1024)
                try client.send(
                    "GET http://127.0.0.1:\(origin.port)/echo HTTP/1.1\r\nHost: x\r\nX-Big: \(filler)\r\n\r\n")
                let response = client.readToEnd()
                #expect(response.hasPrefix("HTTP/1.1 431"))
            }
        }

        @Test func unresolvableHostGets502NamingTheHost() async throws {
            try await withOriginAndProxy { _, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("GET http://no-such-host.invalid/ HTTP/1.1\r\nHost: no-such-host.invalid\r\n\r\n")
                let response = client.readToEnd(seconds: 20)
                #expect(response.hasPrefix("HTTP/1.1 502 Bad Gateway"))
                #expect(response.contains("cannot resolve host no-such-host.invalid"))
                let events = await proxy.sink.waitFor(count: 1)
                #expect(events.first?.status == 502)
                #expect(events.first?.failure?.contains("cannot resolve") == true)
            }
        }

        @Test func errorPagesSpeakTheBrowsersLanguage() async throws {
            let closedPort = try await unusedPort()
            try await withOriginAndProxy { _, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send(
                    "GET http://127.0.0.1:\(closedPort)/ HTTP/1.1\r\nHost: x\r\n"
                        + "Accept-Language: fr-FR,fr;q=0.9,en;q=0.5\r\n\r\n")
                let response = client.readToEnd()
                #expect(response.hasPrefix("HTTP/1.1 502"))
                #expect(
                    response.contains("<html lang=\"fr\">") && response.contains("<h1>502 Passerelle incorrecte</h1>"))
                #expect(
                    response.contains("Crumbs n&#39;a pas pu joindre le site")
                        || response.contains("Crumbs n'a pas pu joindre le site"))
                // The technical detail is the one the log and the store keep.
                #expect(response.contains("Détail technique\u{A0}: <code>cannot connect to 127.0.0.1:\(closedPort)"))

                let refused = try RawClient(port: proxy.port)
                try refused.send(
                    "GET ftp://example.com/file HTTP/1.1\r\nHost: example.com\r\nAccept-Language: fr\r\n\r\n")
                let page = refused.readToEnd()
                #expect(page.hasPrefix("HTTP/1.1 400") && page.contains("400 Requête incorrecte"))
                #expect(page.contains("scheme ftp is not supported"))

                let english = try RawClient(port: proxy.port)
                try english.send(
                    "GET ftp://example.com/file HTTP/1.1\r\nHost: example.com\r\nAccept-Language: en-GB\r\n\r\n")
                #expect(english.readToEnd().contains("<h1>400 Bad Request</h1>"))
            }
        }

        @Test func refusedConnectionGets502() async throws {
            let closedPort = try await unusedPort()
            try await withOriginAndProxy { _, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("GET http://127.0.0.1:\(closedPort)/ HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = client.readToEnd()
                #expect(response.hasPrefix("HTTP/1.1 502"))
                #expect(response.contains("connection refused"))
            }
        }

        @Test func silentUpstreamGets504() async throws {
            try await withOriginAndProxy({ configuration, _ in configuration.upstreamTimeout = .seconds(1) }) {
                origin, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("GET http://127.0.0.1:\(origin.port)/silent HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = client.readToEnd(seconds: 5)
                #expect(response.hasPrefix("HTTP/1.1 504 Gateway Timeout"))
                #expect(response.contains("did not answer within 1 s"))
            }
        }

        @Test func anUpstreamThatKeepsSendingIsNotTimedOutButASilentOneLaterIs() async throws {
            try await withOriginAndProxy({ configuration, _ in configuration.upstreamTimeout = .seconds(1) }) {
                origin, proxy in
                let client = try RawClient(port: proxy.port)
                // 1.6 s in all, but never a second without a chunk.
                try client.send("GET http://127.0.0.1:\(origin.port)/drip HTTP/1.1\r\nHost: x\r\n\r\n")
                let dripped = client.read(until: { $0.contains("drop1;") && $0.hasSuffix("0\r\n\r\n") }, seconds: 5)
                #expect(dripped.hasPrefix("HTTP/1.1 200"))
                #expect(["drop4;", "drop3;", "drop2;", "drop1;"].allSatisfy(dripped.contains))
                // The same connection's next exchange is watched afresh.
                try client.send("GET http://127.0.0.1:\(origin.port)/silent HTTP/1.1\r\nHost: x\r\n\r\n")
                let started = ContinuousClock.now
                let response = client.readToEnd(seconds: 5)
                #expect(response.hasPrefix("HTTP/1.1 504 Gateway Timeout"))
                #expect(ContinuousClock.now - started < .seconds(3))
            }
        }

        @Test func idleTimeoutCountsFromTheEndOfTheLastRequest() async throws {
            try await withOriginAndProxy({ configuration, _ in configuration.idleTimeout = .seconds(1) }) {
                origin, proxy in
                let client = try RawClient(port: proxy.port)
                try await Task.sleep(for: .milliseconds(600))
                try client.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(client.read(untilContains: "hello").hasPrefix("HTTP/1.1 200"))
                // 1.3 s after connecting, 0.7 s after the request: not idle for a whole second yet.
                try await Task.sleep(for: .milliseconds(700))
                try client.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(client.read(untilContains: "hello").hasPrefix("HTTP/1.1 200"))
                #expect(client.peerClosed(seconds: 4))
            }
        }

        @Test func idleClientConnectionIsClosed() async throws {
            try await withOriginAndProxy({ configuration, _ in configuration.idleTimeout = .milliseconds(300) }) {
                _, proxy in
                let client = try RawClient(port: proxy.port)
                #expect(client.peerClosed(seconds: 3))
            }
        }

        @Test func connectionsOverTheCapGet503() async throws {
            try await withOriginAndProxy({ configuration, _ in configuration.maxConnections = 1 }) { origin, proxy in
                let first = try RawClient(port: proxy.port)
                try first.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(first.read(untilContains: "hello").hasPrefix("HTTP/1.1 200"))
                let second = try RawClient(port: proxy.port)
                #expect(second.readToEnd().hasPrefix("HTTP/1.1 503"))
            }
        }

        /// The 503 is read as an answer, not a reset, even by a client that sent its request first.
        @Test func theRefusalReachesAClientThatSentItsRequest() async throws {
            try await withOriginAndProxy({ configuration, _ in configuration.maxConnections = 1 }) { origin, proxy in
                let first = try RawClient(port: proxy.port)
                try first.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = first.read(untilContains: "hello")
                for _ in 0..<20 {
                    let refused = try RawClient(port: proxy.port)
                    try refused.send(
                        "GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\nX-Pad: \(String(repeating: "p", count: 3000))\r\n\r\n"
                    )
                    let answer = refused.readToEnd()
                    #expect(answer.hasPrefix("HTTP/1.1 503"), "got \(answer.isEmpty ? "a reset or nothing" : answer)")
                    #expect(answer.contains("Too many connections: this proxy serves 1 at most."))
                }
            }
        }

        /// 300 idle connections from one address; another address is still answered at once.
        @Test func oneClientCannotLockTheOthersOut() async throws {
            try await withOriginAndProxy({ configuration, _ in
                configuration.listenHost = "127.0.0.1"
                configuration.maxConnections = 400
                configuration.maxConnectionsPerClient = 100
            }) { origin, proxy in
                var hoard: [RawClient] = []
                for _ in 0..<300 { hoard.append(try RawClient(port: proxy.port, bindAddress: "127.0.0.2")) }
                // The 101st and later of that address are refused, with the reason.
                let refused = try RawClient(port: proxy.port, bindAddress: "127.0.0.2")
                try refused.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
                let answer = refused.readToEnd()
                #expect(answer.hasPrefix("HTTP/1.1 503") && answer.contains("from your address: at most 100"))
                let started = ContinuousClock.now
                let other = try RawClient(port: proxy.port, bindAddress: "127.0.0.1")
                try other.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(other.read(untilContains: "hello").hasPrefix("HTTP/1.1 200"))
                let waited = ContinuousClock.now - started
                #expect(waited < .milliseconds(100), "the other client waited \(waited)")
                for client in hoard { client.close() }
            }
        }

        @Test func clientsOutsideTheAllowListAreRefused() async throws {
            try await withOriginAndProxy({ configuration, _ in
                configuration.listenHost = "127.0.0.2"
                configuration.allowedClients = [CIDR("127.0.0.1/32")!]
            }) { origin, proxy in
                let stranger = try RawClient(host: "127.0.0.2", port: proxy.port, bindAddress: "127.0.0.2")
                try stranger.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
                let refused = stranger.readToEnd()
                #expect(refused.hasPrefix("HTTP/1.1 403 Forbidden"))
                #expect(!refused.contains("hello"))
                let friend = try RawClient(host: "127.0.0.2", port: proxy.port, bindAddress: "127.0.0.1")
                try friend.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(friend.read(untilContains: "hello").hasPrefix("HTTP/1.1 200"))
                #expect(proxy.server.statistics.refusedClients == 1)
            }
        }

        @Test func aProxyThatIsItsOwnParentRefusesTheLoop() async throws {
            let port = try await unusedPort()
            try await withOriginAndProxy({ configuration, _ in
                configuration.listenPort = port
                configuration.upstreamProxy = UpstreamProxy(host: "127.0.0.1", port: port)
            }) { origin, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\n\r\n")
                let response = client.read(untilContains: "</html>")
                #expect(response.hasPrefix("HTTP/1.1 508 Loop Detected"))
            }
        }

        @Test func aRequestCarryingOurViaTokenIsRefused() async throws {
            try await withOriginAndProxy { origin, proxy in
                let token = try #require(viaToken(from: proxy, originPort: origin.port))
                let client = try RawClient(port: proxy.port)
                try client.send(
                    "GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\nVia: 1.0 other, 1.1 \(token)\r\n\r\n"
                )
                #expect(client.readToEnd().hasPrefix("HTTP/1.1 508 Loop Detected"))
            }
        }

        @Test func requestsToTheProxyItselfAreAnsweredNotForwarded() async throws {
            try await withOriginAndProxy { _, proxy in
                let pac = try RawClient(port: proxy.port)
                try pac.send("GET /proxy.pac HTTP/1.1\r\nHost: 127.0.0.1:\(proxy.port)\r\n\r\n")
                let pacResponse = pac.read(untilContains: "DIRECT\";\n}")
                #expect(pacResponse.contains("application/x-ns-proxy-autoconfig"))
                #expect(pacResponse.contains("PROXY 127.0.0.1:\(proxy.port); DIRECT"))

                let status = try RawClient(port: proxy.port)
                try status.send("GET http://localhost:\(proxy.port)/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
                let page = status.read(untilContains: "</html>")
                #expect(page.contains("Crumbs is running"))
                #expect(page.contains("record = full, clients = addresses; events are deleted after 90 days"))
                #expect(proxy.sink.events.isEmpty)

                let json = try RawClient(port: proxy.port)
                try json.send("GET /status.json HTTP/1.1\r\nHost: 127.0.0.1:\(proxy.port)\r\n\r\n")
                let answer = json.read(untilContains: "}\n")
                let body = try #require(answer.components(separatedBy: "\r\n\r\n").last)
                let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
                #expect(answer.contains("application/json"))
                #expect(object?["proxyAddress"] as? String == "127.0.0.1:\(proxy.port)")
                #expect(object?["openConnections"] as? Int ?? 0 >= 1 && object?["clientsRefused"] as? Int == 0)
                #expect(object?["interception"] as? String == "off")
                #expect(object?["record"] as? String == "full" && object?["retentionDays"] as? Int == 90)
            }
        }

        @Test(arguments: ["evil.example", "evil.example:8080", "127.0.0.1.evil.example"])
        func theProxysOwnPagesRefuseAForeignHostName(host: String) async throws {
            // DNS rebinding: a page of evil.example whose name now resolves to 127.0.0.1.
            try await withOriginAndProxy { _, proxy in
                for path in ["/", "/status", "/proxy.pac"] {
                    let client = try RawClient(port: proxy.port)
                    try client.send("GET \(path) HTTP/1.1\r\nHost: \(host)\r\n\r\n")
                    let answer = client.readToEnd()
                    #expect(answer.hasPrefix("HTTP/1.1 403"), "\(path): \(answer.prefix(100))")
                    #expect(!answer.contains("Crumbs is running") && !answer.contains("FindProxyForURL"))
                }
            }
        }

        @Test func theProxysOwnPagesAnswerItsOwnNames() async throws {
            try await withOriginAndProxy({ configuration, _ in configuration.ownNames = ["box.lan"] }) { _, proxy in
                for host in [
                    "127.0.0.1:\(proxy.port)", "localhost", "crumbs.internal", "box.lan:\(proxy.port)", "LOCALHOST",
                ] {
                    let client = try RawClient(port: proxy.port)
                    try client.send("GET /status HTTP/1.1\r\nHost: \(host)\r\n\r\n")
                    #expect(client.read(untilContains: "</html>").contains("Crumbs is running"), "Host: \(host)")
                }
            }
        }

        enum Fault: String, CaseIterable, Sendable {
            case garbage, refused, silent, hello, connectForbidden, clientGone
        }

        @Test(arguments: Fault.allCases)
        func fileDescriptorsReturnToBaselineAfter(_ fault: Fault) async throws {
            try await withOriginAndProxy({ configuration, _ in configuration.upstreamTimeout = .milliseconds(300) }) {
                origin, proxy in
                let closedPort = try await unusedPort()
                let request =
                    switch fault {
                    case .garbage: "GARBAGE\r\n\r\n"
                    case .refused: "GET http://127.0.0.1:\(closedPort)/ HTTP/1.1\r\nHost: x\r\n\r\n"
                    case .silent: "GET http://127.0.0.1:\(origin.port)/silent HTTP/1.1\r\nHost: x\r\n\r\n"
                    case .hello:
                        "GET http://127.0.0.1:\(origin.port)/hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    case .connectForbidden: "CONNECT 127.0.0.1:\(origin.port) HTTP/1.1\r\n\r\n"
                    case .clientGone: "GET http://127.0.0.1:\(origin.port)/silent HTTP/1.1\r\nHost: x\r\n\r\n"
                    }
                // Warm up first, so that lazily opened descriptors count in the baseline: pooled
                // upstream connections live per event loop, and clients take the two loops in turn.
                for _ in 0..<2 { try exchange(request, port: proxy.port, hangUp: fault == .clientGone) }
                try await Task.sleep(for: .milliseconds(200))
                let before = openFileDescriptors()
                let baseline = before.count
                for _ in 0..<5 {
                    try exchange(request, port: proxy.port, hangUp: fault == .clientGone)
                }
                let after = await settledDescriptorCount(atMost: baseline)
                let added = openFileDescriptors().filter { before[$0.key] != $0.value }
                #expect(after <= baseline, "\(fault): descriptors leaked: \(baseline) → \(after): \(added)")
            }
        }
    }
}

/// Sends one request and reads the answer, or hangs up at once when `hangUp` is set.
private func exchange(_ request: String, port: Int, hangUp: Bool) throws {
    let client = try RawClient(port: port)
    try client.send(request)
    if !hangUp { _ = client.readToEnd(seconds: 3) }
}

/// The descriptor count once closes in flight have landed (bounded wait).
private func settledDescriptorCount(atMost limit: Int = .max) async -> Int {
    // Counted the same way each time (the directory listing's own descriptor included).
    var current = openFileDescriptors().count
    let deadline = Date().addingTimeInterval(3)
    while current > limit && Date() < deadline {
        try? await Task.sleep(for: .milliseconds(50))
        current = openFileDescriptors().count
    }
    try? await Task.sleep(for: .milliseconds(100))
    return min(current, openFileDescriptors().count)
}

/// A port on 127.0.0.1 with nothing listening (bound, then closed).
func unusedPort() async throws -> Int {
    let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton).bind(
        host: "127.0.0.1", port: 0
    ).get()
    let port = channel.localAddress!.port!
    try await channel.close()
    return port
}

/// Learns the proxy's Via token by sending one request through it to the echo origin.
private func viaToken(from proxy: ProxyHarness, originPort: Int) -> String? {
    guard let client = try? RawClient(port: proxy.port) else { return nil }
    try? client.send("GET http://127.0.0.1:\(originPort)/echo HTTP/1.1\r\nHost: x\r\n\r\n")
    let response = client.read(untilContains: "via: 1.1 crumbs-")
    guard let range = response.range(of: "via: 1.1 ") else { return nil }
    return String(response[range.upperBound...].prefix(while: { !$0.isWhitespace && $0 != "," }))
}
