import CrumbsDashboard
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// The dashboard beside the proxy: on a loopback address, started before the proxy (which
/// forwards crumbs.internal to it) and stopped with it. A port already taken is a warning, not a
/// reason for the proxy not to run.
final class DashboardRunner: Sendable {
    let url: String
    let port: Int
    private let group: ServiceGroup
    private let task: Task<Void, Never>

    private init(url: String, port: Int, group: ServiceGroup, task: Task<Void, Never>) {
        self.url = url
        self.port = port
        self.group = group
        self.task = task
    }

    /// Where to listen, from `--dashboard` / the config's `dashboard`: host:port, or "off" (nil
    /// result); unset: 127.0.0.1 on a port the system picks. (A fixed default would take a port
    /// something else on the machine may be using; browsers reach it as http://crumbs.internal/
    /// through the proxy, whatever its port.)
    struct Address {
        var host = "127.0.0.1"
        var port: Int?
    }

    static func address(_ setting: String?) throws -> Address? {
        guard let setting else { return Address() }
        if setting == "off" { return nil }
        guard let colon = setting.lastIndex(of: ":"), let port = Int(setting[setting.index(after: colon)...]),
            (0...65_535).contains(port)
        else { throw CLIError("--dashboard must be host:port or off (not \(setting))") }
        let host = String(setting[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        // Loopback only: the dashboard has no client allow-list of its own yet.
        guard host == "127.0.0.1" || host == "::1" || host == "localhost" else {
            throw CLIError("--dashboard must be on a loopback address (127.0.0.1 or ::1), not \(host)")
        }
        return Address(host: host == "localhost" ? "127.0.0.1" : host, port: port)
    }

    /// Starts the dashboard at `address`.
    static func start(
        _ address: Address, feed: LiveFeed, data: any DashboardData, formToken: String, logger: Logger
    ) async throws -> DashboardRunner? {
        let settings = Dashboard.Settings(host: address.host, port: address.port ?? 0, formToken: formToken)
        let dashboard = try Dashboard(data: data, feed: feed, settings: settings)
        let (ports, continuation) = AsyncStream<Int?>.makeStream()
        let app = dashboard.application(logger: logger) { port in continuation.yield(port) }
        // No signals of its own: `crumbs run` stops it when it stops the proxy.
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [], cancellationSignals: [], logger: logger))
        let task = Task {
            do {
                try await group.run()
            } catch {
                logger.warning("dashboard not started", metadata: ["error": "\(error)"])
            }
            continuation.yield(nil)
            continuation.finish()
        }
        var bound: Int?
        for await port in ports {
            bound = port
            break
        }
        guard let bound else {
            await group.triggerGracefulShutdown()
            return nil
        }
        let host = settings.host.contains(":") ? "[\(settings.host)]" : settings.host
        return DashboardRunner(url: "http://\(host):\(bound)/", port: bound, group: group, task: task)
    }

    /// Finishes the requests in hand, then closes.
    func stop() async {
        await group.triggerGracefulShutdown()
        await task.value
    }
}

extension Optional {
    /// `map` for an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
