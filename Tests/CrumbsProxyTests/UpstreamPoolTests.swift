import CrumbsModel
import NIOEmbedded
import Testing

@testable import CrumbsProxy

struct UpstreamPoolTests {
    @Test func askingForAnIdleConnectionRemembersNoRoute() {
        let loop = EmbeddedEventLoop()
        let pool = UpstreamPool(eventLoop: loop, maxIdlePerHost: 1, connectTimeout: .seconds(1))
        // Every new host is asked for first; if its connection then fails, nothing would ever
        // forget an entry made here.
        for index in 0..<3 {
            let route = UpstreamRoute(
                origin: HostAndPort(host: "host\(index).invalid", port: 80), parent: nil, tls: false)
            #expect(pool.takeIdle(route) == nil)
        }
        #expect(pool.routeCount == 0)
    }
}
