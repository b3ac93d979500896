import CrumbsModel
import CrumbsProxy
import Foundation
import Testing

/// CONNECT tunnels, upgraded connections and chaining through a parent proxy.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(2)))
    struct TunnelTests {
        @Test func connectTunnelCarriesBytesBothWaysAndIsRecorded() async throws {
            try await withOriginAndProxy({ configuration, origin in configuration.connectPorts.insert(origin.port) }) {
                origin, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("CONNECT 127.0.0.1:\(origin.port) HTTP/1.1\r\nHost: 127.0.0.1:\(origin.port)\r\n\r\n")
                let established = client.read(untilContains: "\r\n\r\n")
                #expect(established.hasPrefix("HTTP/1.1 200 Connection Established"))
                try client.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                let response = client.readToEnd()
                #expect(response.hasPrefix("HTTP/1.1 200 OK"))
                #expect(response.hasSuffix("hello"))
                // The origin closed its side; the tunnel ends when the client closes too.
                client.close()
                let events = await proxy.sink.waitFor(count: 1)
                let tunnel = try #require(events.first)
                #expect(tunnel.kind == .tunnel)
                #expect(tunnel.method == "CONNECT")
                #expect(tunnel.host == "127.0.0.1" && tunnel.port == origin.port)
                #expect(tunnel.bytesUp > 20 && tunnel.bytesDown > 20)
                #expect(tunnel.path == nil && tunnel.cookiesSent.isEmpty)
            }
        }

        @Test func halfCloseIsPassedThroughTheTunnel() async throws {
            try await withOriginAndProxy({ configuration, origin in configuration.connectPorts.insert(origin.port) }) {
                origin, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("CONNECT 127.0.0.1:\(origin.port) HTTP/1.1\r\n\r\n")
                _ = client.read(untilContains: "\r\n\r\n")
                try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                client.shutdownWrite()
                // The origin still answers after our half-close, then closes its side.
                let response = client.readToEnd()
                #expect(response.hasSuffix("hello"))
            }
        }

        @Test func aHalfCloseRightBehindTheConnectReachesTheOrigin() async throws {
            try await withOriginAndProxy({ configuration, origin in configuration.connectPorts.insert(origin.port) }) {
                origin, proxy in
                let client = try RawClient(port: proxy.port)
                // The end of input comes with the CONNECT, before the upstream side is connected.
                try client.send("CONNECT 127.0.0.1:\(origin.port) HTTP/1.1\r\n\r\n")
                client.shutdownWrite()
                #expect(client.read(untilContains: "\r\n\r\n").hasPrefix("HTTP/1.1 200 Connection Established"))
                // The origin sees the end of input and closes; without the half-close passed on,
                // the tunnel would wait for its idle timeout (minutes).
                #expect(client.peerClosed(seconds: 3))
                let tunnel = try #require(await proxy.sink.waitFor(count: 1).first)
                #expect(tunnel.kind == .tunnel && tunnel.bytesUp == 0)
            }
        }

        @Test func aTunnelIsClosedOnlyAfterCarryingNothingForTheIdleTimeout() async throws {
            try await withOriginAndProxy({ configuration, origin in
                configuration.connectPorts.insert(origin.port)
                configuration.tunnelIdleTimeout = .seconds(1)
            }) { origin, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("CONNECT 127.0.0.1:\(origin.port) HTTP/1.1\r\n\r\n")
                _ = client.read(untilContains: "\r\n\r\n")
                // Traffic at 0.6 s and 1.3 s: never a whole second without bytes.
                for _ in 0..<2 {
                    try await Task.sleep(for: .milliseconds(650))
                    try client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                    #expect(client.read(untilContains: "hello").contains("HTTP/1.1 200"))
                }
                let started = ContinuousClock.now
                #expect(client.peerClosed(seconds: 4))
                #expect(ContinuousClock.now - started > .milliseconds(500))
                let tunnel = try #require(await proxy.sink.waitFor(count: 1).first)
                #expect(tunnel.kind == .tunnel && tunnel.bytesDown > 0)
            }
        }

        @Test func connectToAPortNotAllowedGets403() async throws {
            try await withOriginAndProxy { origin, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("CONNECT 127.0.0.1:\(origin.port) HTTP/1.1\r\n\r\n")
                let response = client.readToEnd()
                #expect(response.hasPrefix("HTTP/1.1 403 Forbidden"))
                #expect(response.contains("CONNECT to port \(origin.port) is not allowed"))
            }
        }

        @Test func connectToAnUnreachablePortGets502() async throws {
            let closedPort = try await unusedPort()
            try await withOriginAndProxy({ configuration, _ in configuration.connectPorts.insert(closedPort) }) {
                _, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send("CONNECT 127.0.0.1:\(closedPort) HTTP/1.1\r\n\r\n")
                let response = client.readToEnd()
                #expect(response.hasPrefix("HTTP/1.1 502"))
                let events = await proxy.sink.waitFor(count: 1)
                #expect(events.first?.kind == .tunnel && events.first?.status == 502)
            }
        }

        @Test func upstreamProxyChainCarriesRequestsAndTunnels() async throws {
            try await withOriginAndProxy({ configuration, origin in configuration.connectPorts.insert(origin.port) }) {
                origin, parent in
                let child = try await ProxyHarness.start { configuration in
                    configuration.upstreamProxy = UpstreamProxy(host: "127.0.0.1", port: parent.port)
                    configuration.connectPorts.insert(origin.port)
                }
                let client = try RawClient(port: child.port)
                try client.send("GET http://127.0.0.1:\(origin.port)/echo HTTP/1.1\r\nHost: x\r\n\r\n")
                let echoed = client.read(untilContains: "\n\n")
                #expect(echoed.contains("GET /echo HTTP/1.1"))
                let requestSeenByOrigin = echoed.components(separatedBy: "\r\n\r\n").last ?? ""
                #expect(
                    requestSeenByOrigin.components(separatedBy: "crumbs-").count == 3,
                    "both proxies add Via: \(requestSeenByOrigin)"
                )

                let tunnel = try RawClient(port: child.port)
                try tunnel.send("CONNECT 127.0.0.1:\(origin.port) HTTP/1.1\r\n\r\n")
                #expect(tunnel.read(untilContains: "\r\n\r\n").hasPrefix("HTTP/1.1 200"))
                try tunnel.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                #expect(tunnel.readToEnd().hasSuffix("hello"))
                tunnel.close()
                #expect(await parent.sink.waitFor(count: 2).count == 2)
                #expect(await child.sink.waitFor(count: 2).count == 2)
                await child.stop()
            }
        }

        @Test func webSocketStyleUpgradeBecomesATunnel() async throws {
            try await withOriginAndProxy { origin, proxy in
                let client = try RawClient(port: proxy.port)
                try client.send(
                    "GET http://127.0.0.1:\(origin.port)/upgrade HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n"
                )
                let switched = client.read(untilContains: "\r\n\r\n")
                #expect(switched.hasPrefix("HTTP/1.1 101"))
                try client.send("ping-through-the-tunnel")
                #expect(client.read(untilContains: "ping-through-the-tunnel").hasSuffix("ping-through-the-tunnel"))
                client.shutdownWrite()
                _ = client.readToEnd(seconds: 2)
                let events = await proxy.sink.waitFor(count: 1)
                #expect(events.first?.kind == .upgrade)
                #expect(events.first?.status == 101)
                #expect(events.first?.path == "/upgrade")
            }
        }
    }
}
