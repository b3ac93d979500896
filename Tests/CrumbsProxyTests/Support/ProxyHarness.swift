import CrumbsIngest
import CrumbsLists
import CrumbsModel
import CrumbsProxy
import Foundation
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// Collects events in memory, for tests that look at what the proxy emitted.
final class CollectingSink: EventSink {
    private let box = NIOLockedValueBox<[RequestEvent]>([])
    private let markers = NIOLockedValueBox<[RequestEvent]>([])

    func record(_ event: RequestEvent) {
        // Tunnel-opened markers are never stored; tests look at them apart.
        if event.kind == .tunnelOpened {
            markers.withLockedValue { $0.append(event) }
        } else {
            box.withLockedValue { $0.append(event) }
        }
    }

    /// The events a store would keep, in recording order.
    var events: [RequestEvent] { box.withLockedValue { $0 } }
    /// The `tunnelOpened` markers, in recording order.
    var tunnelMarkers: [RequestEvent] { markers.withLockedValue { $0 } }

    /// Waits (bounded) until `count` events have arrived.
    func waitFor(count: Int, seconds: Double = 5) async -> [RequestEvent] {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            let current = events
            if current.count >= count { return current }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return events
    }
}

/// A proxy on 127.0.0.1 with port 0, its own event loops and a collecting sink.
struct ProxyHarness {
    let server: ProxyServer
    let group: MultiThreadedEventLoopGroup
    let sink: CollectingSink
    let port: Int

    static let secret = Data(repeating: 7, count: 32)
    static let siteResolver = PublicSuffixList.loadDefault()

    static func start(
        sink: (any EventSink)? = nil,
        _ configure: (inout ProxyConfiguration) -> Void = { _ in }
    ) async throws -> ProxyHarness {
        var configuration = ProxyConfiguration()
        configuration.listenPort = 0
        configure(&configuration)
        let collecting = CollectingSink()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let server = try ProxyServer(
            configuration: configuration,
            sink: sink ?? collecting,
            events: EventBuilder(
                siteResolver: siteResolver, keepQuery: configuration.keepQuery, hasher: CookieHasher(secret: secret)),
            logger: Logger(label: "test.proxy"),
            group: group
        )
        let address = try await server.start()
        return ProxyHarness(server: server, group: group, sink: collecting, port: address.port!)
    }

    func stop() async {
        try? await server.stop()
        try? await group.shutdownGracefully()
    }
}

/// Open descriptors of this process and what each is (`fd → socket:[inode]`), to check that
/// connections are all closed again and to name the ones that are not.
func openFileDescriptors() -> [String: String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
    var result: [String: String] = [:]
    for name in names {
        result[name] = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/\(name)")) ?? "?"
    }
    return result
}

/// Runs `body` with a fresh origin and proxy, and stops both whatever happens.
func withOriginAndProxy(
    _ configure: @escaping (inout ProxyConfiguration, TestOrigin) -> Void = { _, _ in },
    _ body: (TestOrigin, ProxyHarness) async throws -> Void
) async throws {
    let origin = try await TestOrigin.start()
    let proxy: ProxyHarness
    do {
        proxy = try await ProxyHarness.start { configure(&$0, origin) }
    } catch {
        await origin.stop()
        throw error
    }
    do {
        try await body(origin, proxy)
    } catch {
        await proxy.stop()
        await origin.stop()
        throw error
    }
    await proxy.stop()
    await origin.stop()
}
