import AsyncHTTPClient
import CrumbsModel
import Foundation
import NIOCore
import NIOSSL
import Testing

@testable import CrumbsProxy

/// `--interception auto`: a browser's tunnels are decrypted only once it has shown that it
/// trusts the Crumbs CA; until then they pass through, so nothing ever breaks.
extension EndToEnd {
    @Suite(.timeLimit(.minutes(2)))
    struct AutoInterceptionTests {
        @Test func tunnelsAreDecryptedOnlyAfterTheBrowserPassedTheTrustCheck() async throws {
            try await withInterception(mode: .auto) { setup in
                // A browser without the CA: the check fails, and HTTPS still works, tunnelled.
                try await setup.withClient(trusting: [setup.originCA]) { client in
                    let check = HTTPClientRequest(url: "https://crumbs.internal/trust-check.gif")
                    // (The client library retries failed connections until its deadline: keep that short.)
                    await #expect(throws: (any Error).self) {
                        _ = try await client.execute(check, timeout: .seconds(2))
                    }
                    let response = try await client.execute(
                        HTTPClientRequest(url: "https://shop.test/before"), timeout: .seconds(10))
                    #expect(response.status == .ok)
                }
                #expect(try await Self.checkPage(setup).contains(TrustCheck.notTrustedText.htmlEscapedForTest))
                // The same browser once it trusts the CA (and the origins' CA, as browsers do).
                try await setup.withClient(trusting: [setup.crumbsCA, setup.originCA]) { client in
                    let check = try await client.execute(
                        HTTPClientRequest(url: "https://crumbs.internal/trust-check.gif"), timeout: .seconds(10))
                    #expect(check.status == .ok && check.headers.first(name: "content-type") == "image/gif")
                }
                #expect(try await Self.checkPage(setup).contains(TrustCheck.trustedText.htmlEscapedForTest))
                // The status page says which mode, and what it knows, in plain words.
                let status = try RawClient(port: setup.proxy.port)
                try status.send("GET /status.json HTTP/1.1\r\nHost: 127.0.0.1:\(setup.proxy.port)\r\n\r\n")
                let answer = status.read(untilContains: "}\n")
                #expect(answer.contains(#""interception":"auto""#) && answer.contains(#""browsersTrustingCA":1"#))
                try await setup.withClient(trusting: [setup.crumbsCA, setup.originCA]) { client in
                    let response = try await client.execute(
                        HTTPClientRequest(url: "https://shop.test/after"), timeout: .seconds(10))
                    #expect(response.status == .ok)
                }
                let events = await setup.proxy.sink.waitFor(count: 2)
                let before = events.filter { $0.host == "shop.test" && $0.kind == .tunnel }
                #expect(before.count == 1 && before.first?.intercepted == false, "\(events)")
                let after = events.first { $0.host == "shop.test" && $0.path == "/after" }
                #expect(after?.intercepted == true && after?.source == .intercepted, "\(events)")
                // The check itself is never recorded as traffic.
                #expect(!events.contains { $0.host == "crumbs.internal" })
            }
        }

        /// The page at http://crumbs.internal/, fetched in the clear as a browser does first.
        static func checkPage(_ setup: InterceptionSetup) async throws -> String {
            let client = try RawClient(port: setup.proxy.port)
            defer { client.close() }
            try client.send(
                "GET http://crumbs.internal/ HTTP/1.1\r\nHost: crumbs.internal\r\nConnection: close\r\n\r\n")
            return client.readToEnd()
        }
    }
}

extension String {
    /// As the page writes it (apostrophes and ampersands escaped).
    fileprivate var htmlEscapedForTest: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "'", with: "&#39;")
    }
}
