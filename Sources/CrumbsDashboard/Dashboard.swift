import CrumbsModel
import CrumbsReports
import Foundation
import Hummingbird
import Logging
import Mustache

/// The local dashboard: server-rendered pages (no script needed to read them) in English or
/// French, on a loopback address of its own.
public struct Dashboard: Sendable {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        /// The `Host` values it answers to besides its own address: `crumbs.internal`.
        public var names: [String]
        /// The token every form carries (per installation: the CLI derives it from the install
        /// secret); by default one for this process only.
        public var formToken: String

        public init(
            host: String = "127.0.0.1", port: Int = 0, names: [String] = ["crumbs.internal"],
            formToken: String = Settings.randomToken()
        ) {
            self.host = host
            self.port = port
            self.names = names
            self.formToken = formToken
        }

        public static func randomToken() -> String {
            (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
        }
    }

    let data: any DashboardData
    let feed: LiveFeed
    let library: MustacheLibrary
    let forms: FormCheck
    let settings: Settings

    /// `feed` is what the recorder publishes as it writes (the live page).
    public init(data: any DashboardData, feed: LiveFeed, settings: Settings) throws {
        self.data = data
        self.feed = feed
        self.settings = settings
        forms = FormCheck(
            token: settings.formToken, hosts: Set(settings.names.map { $0.lowercased() }), ownHost: settings.host)
        var library = MustacheLibrary()
        for (name, text) in Assets.templates { try library.register(text, named: name) }
        self.library = library
    }

    /// The application; `onRunning` gets the bound port (when `settings.port` is 0).
    public func application(
        logger: Logger, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let router = router(allowing: settings)
        return Application(
            router: router,
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? settings.port) },
            logger: logger)
    }

    /// The routes, behind the guard. (The allowed hosts take the bound port as it is known only
    /// once running: any port on the dashboard's own host name is accepted.)
    func router(allowing settings: Settings) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(
            middleware: DashboardGuard(
                allowedHosts: Set(settings.names.map { $0.lowercased() }), ownHost: settings.host))
        router.get("/") { request, _ in try await self.today(request) }
        router.get("/today/digest") { request, _ in try await self.todayDigest(request) }
        router.get("/digests") { request, _ in try await self.digests(request) }
        router.get("/digests/:file") { request, context in try self.archivedDigest(request, context) }
        router.get("/devices") { request, _ in try self.devices(request) }
        router.post("/devices/name") { request, _ in try await self.nameDevice(request) }
        router.get("/privacy") { request, _ in try self.privacy(request) }
        router.post("/privacy/forget") { request, _ in try await self.forget(request) }
        router.get("/lists") { request, _ in self.lists(request) }
        router.post("/lists/reload") { request, _ in await self.reloadLists(request) }
        router.get("/certificate") { request, _ in self.certificate(request) }
        router.get("/graph") { request, _ in try await self.graph(request) }
        router.get("/live") { request, _ in try self.live(request) }
        router.get("/live/events") { request, _ in self.liveEvents(request) }
        router.get("/static/:file") { _, context in
            guard let name = context.parameters.get("file"), let file = Assets.files[name] else {
                throw HTTPError(.notFound)
            }
            return Response(
                status: .ok, headers: [.contentType: file.contentType],
                body: .init(byteBuffer: ByteBuffer(bytes: file.bytes)))
        }
        return router
    }
}
