import CrumbsIngest
import CrumbsLists
import CrumbsModel
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@testable import CrumbsProxy

/// The proxy's pure decisions, tested without a channel.
struct ParsingTests {
    @Test(arguments: [
        ("http://example.com/a/b?q=1#frag", "example.com", 80, "/a/b?q=1"),
        ("http://Example.COM:8080", "example.com", 8080, "/"),
        ("http://user:pw@example.com/x", "example.com", 80, "/x"),
        ("http://[::1]:8443/x", "::1", 8443, "/x"),
        ("http://example.com?q", "example.com", 80, "/?q"),
        ("HTTP://example.com/x", "example.com", 80, "/x"),
        ("ws://example.com/socket", "example.com", 80, "/socket"),
    ])
    func absoluteFormTargetsAreParsed(uri: String, host: String, port: Int, path: String) {
        #expect(
            RequestTarget(method: "GET", uri: uri)
                == .absolute(scheme: "http", authority: HostAndPort(host: host, port: port), pathAndQuery: path)
        )
    }

    @Test func connectTargetsNeedHostAndPort() {
        #expect(
            RequestTarget(method: "CONNECT", uri: "example.com:443")
                == .connect(HostAndPort(host: "example.com", port: 443)))
        #expect(
            RequestTarget(method: "CONNECT", uri: "[2001:db8::1]:443")
                == .connect(HostAndPort(host: "2001:db8::1", port: 443)))
        for bad in ["example.com", "example.com:0", "example.com:99999", "exa mple.com:443", ":443", "host:44x"] {
            guard case .invalid = RequestTarget(method: "CONNECT", uri: bad) else {
                Issue.record("\(bad) was accepted")
                continue
            }
        }
    }

    @Test func originFormIsForTheProxyItselfAndOtherSchemesAreRefused() {
        #expect(RequestTarget(method: "GET", uri: "/proxy.pac") == .origin(path: "/proxy.pac"))
        for bad in [
            "ftp://example.com/", "https://example.com/", "*", "example.com/x", "http:///x", "http://bad host/",
            "http:/x", "ht tp://example.com/", "://example.com/", "wss://example.com/",
        ] {
            guard case .invalid = RequestTarget(method: "GET", uri: bad) else {
                Issue.record("\(bad) was accepted")
                continue
            }
        }
    }

    @Test func hopByHopHeadersAreStrippedIncludingThoseConnectionNames() {
        var headers = HTTPHeaders([
            ("Connection", "keep-alive, X-Private"), ("X-Private", "1"), ("Keep-Alive", "300"),
            ("Proxy-Connection", "keep-alive"), ("TE", "trailers"), ("Trailer", "X"), ("Transfer-Encoding", "chunked"),
            ("Upgrade", "h2c"), ("Proxy-Authorization", "Basic eDp5"), ("X-End-To-End", "kept"),
        ])
        let hadTransferEncoding = HopByHopHeaders.strip(&headers)
        #expect(hadTransferEncoding)
        #expect(headers.map(\.name) == ["X-End-To-End"])
    }

    @Test func upgradeRequestsKeepTheirUpgradeHeaders() {
        var headers = HTTPHeaders([("Connection", "Upgrade"), ("Upgrade", "websocket"), ("Keep-Alive", "1")])
        #expect(HopByHopHeaders.isUpgradeRequest(headers))
        HopByHopHeaders.strip(&headers, keepUpgrade: true)
        #expect(headers.map(\.name) == ["Connection", "Upgrade"])
        #expect(!HopByHopHeaders.isUpgradeRequest(HTTPHeaders([("Upgrade", "websocket")])))
    }

    @Test func viaTokenIsRecognisedOnlyAsAReceivedBy() {
        let headers = HTTPHeaders([("Via", "1.0 fred, 1.1 crumbs-abc"), ("Via", "1.1 other")])
        #expect(HopByHopHeaders.hasLoop(headers, token: "crumbs-abc"))
        #expect(!HopByHopHeaders.hasLoop(headers, token: "crumbs-ab"))
        #expect(!HopByHopHeaders.hasLoop(HTTPHeaders([("X-Note", "1.1 crumbs-abc")]), token: "crumbs-abc"))
    }

    @Test func cidrMatchesIPv4IPv6AndMappedAddresses() throws {
        let lan = try #require(CIDR("192.168.1.0/24"))
        #expect(lan.contains(try SocketAddress(ipAddress: "192.168.1.77", port: 1)))
        #expect(!lan.contains(try SocketAddress(ipAddress: "192.168.2.1", port: 1)))
        #expect(lan.contains(try SocketAddress(ipAddress: "::ffff:192.168.1.5", port: 1)))
        #expect(CIDR.loopback.contains { $0.contains(try! SocketAddress(ipAddress: "::1", port: 1)) })
        #expect(CIDR.loopback.contains { $0.contains(try! SocketAddress(ipAddress: "127.9.9.9", port: 1)) })
        #expect(!CIDR.loopback.contains { $0.contains(try! SocketAddress(ipAddress: "10.0.0.1", port: 1)) })
        #expect(CIDR("0.0.0.0/0")?.contains(try SocketAddress(ipAddress: "8.8.8.8", port: 1)) == true)
        #expect(CIDR("10.0.0.1")?.description == "10.0.0.1/32")
        #expect(CIDR.loopback.map(\.description) == ["127.0.0.0/8", "::1/128"])
        #expect(CIDR("2001:db8::/32")?.description == "2001:db8::/32")
        for bad in ["10.0.0.0/33", "::1/129", "example.com/8", "10.0.0.0/x", ""] { #expect(CIDR(bad) == nil, "\(bad)") }
    }

    @Test func hostHeaderLeavesOutTheDefaultPort() {
        #expect(HostAndPort(host: "example.com", port: 80).hostHeader(defaultPort: 80) == "example.com")
        #expect(HostAndPort(host: "example.com", port: 81).hostHeader(defaultPort: 80) == "example.com:81")
        #expect(HostAndPort(host: "::1", port: 80).hostHeader(defaultPort: 80) == "[::1]")
        #expect(HostAndPort(host: "::1", port: 8080).description == "[::1]:8080")
    }

    @Test func upstreamProxyURLsAreParsed() {
        #expect(UpstreamProxy(url: "http://parent.example:3128/") == UpstreamProxy(host: "parent.example", port: 3128))
        #expect(UpstreamProxy(url: "127.0.0.1:8118") == UpstreamProxy(host: "127.0.0.1", port: 8118))
        #expect(UpstreamProxy(url: "http://nohostport") == UpstreamProxy(host: "nohostport", port: 8080))
        #expect(UpstreamProxy(url: "http://bad:port") == nil)
    }

    @Test func refererAndOriginBecomeSites() {
        let factory = EventBuilder(
            siteResolver: PublicSuffixList.builtIn, keepQuery: false, hasher: CookieHasher(secret: Data(count: 32)))
        #expect(factory.site(ofURL: "https://www.bbc.co.uk/news?id=1") == "bbc.co.uk")
        #expect(factory.site(ofURL: "https://user@shop.example.com:8443/") == "example.com")
        #expect(factory.site(ofURL: "http://127.0.0.1:8080/") == "127.0.0.1")
        #expect(factory.site(ofURL: "null") == nil)
        #expect(factory.recordedPath("/a?b=1") == "/a")
        // Hosts of Referer and Location URLs, which also name the host of their URL tokens.
        #expect(URLHost.host(ofURL: "https://User@Sync.Example:8443/x?y=1") == "sync.example")
        #expect(URLHost.host(ofURL: "http://[::1]:8080/") == "::1")
        #expect(URLHost.host(ofURL: "/relative?x=1") == nil)
        #expect(URLHost.host(ofURL: "https:///nohost") == nil)
    }

    @Test func connectFailuresMapToStatusAndReason() {
        let target = HostAndPort(host: "example.com", port: 443)
        let refused = UpstreamFailure(connectError: IOError(errnoCode: ECONNREFUSED, reason: "connect"), target: target)
        #expect(refused.status == .badGateway && refused.reason.contains("connection refused"))
        let timeout = UpstreamFailure(connectError: ChannelError.connectTimeout(.seconds(30)), target: target)
        #expect(timeout.status == .gatewayTimeout && timeout.reason.contains("within 30 s"))
    }

    @Test func errorPagesEscapeWhatCameFromTheNetwork() {
        let page = ProxyResponse.errorPage(
            .badGateway, title: "Bad Gateway", detail: "cannot resolve <script>alert(1)</script>")
        #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!page.body.contains("<script>"))
    }
}
