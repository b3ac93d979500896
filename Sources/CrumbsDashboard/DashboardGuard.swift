import HTTPTypes
import Hummingbird

/// Every request and response of the dashboard: only the names it is served under may reach it
/// (a page elsewhere cannot read it through DNS rebinding), nothing may frame or embed it, no
/// script but its own, no CORS header ever.
struct DashboardGuard<Context: RequestContext>: RouterMiddleware {
    /// Lower-cased `host` or `host:port` values the dashboard answers to.
    let allowedHosts: Set<String>
    /// Its own address: `host:any port` is accepted too.
    let ownHost: String

    static var securityHeaders: [(HTTPField.Name, String)] {
        [
            (
                .contentSecurityPolicy,
                "default-src 'self'; img-src 'self' https://crumbs.internal data:; style-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
            ),
            (HTTPField.Name("X-Content-Type-Options")!, "nosniff"),
            // Not no-referrer: under it browsers send `Origin: null` with a form's POST, and the
            // forms' Origin check could not tell the dashboard's own pages from anyone's. Its pages
            // link nowhere else, so nothing leaves with a referrer either way.
            (HTTPField.Name("Referrer-Policy")!, "same-origin"),
            (HTTPField.Name("X-Frame-Options")!, "DENY"),
            (.cacheControl, "no-store"),
        ]
    }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        // HTTP/1.1's Host header, as Hummingbird hands it over.
        let host = (request.head.authority ?? "").lowercased()
        var response: Response
        if allowedHosts.contains(host) || host == ownHost || host.hasPrefix(ownHost + ":") {
            do {
                response = try await next(request, context)
            } catch let error as any HTTPResponseError {
                // Error pages (404…) carry the same headers as every other response.
                response = try error.response(from: request, context: context)
            }
        } else {
            response = Response(
                status: .misdirectedRequest, headers: [.contentType: "text/plain; charset=utf-8"],
                body: .init(
                    byteBuffer: ByteBuffer(string: "This is Crumbs' dashboard: open it as http://crumbs.internal/.\n")))
        }
        for (name, value) in Self.securityHeaders { response.headers[name] = value }
        return response
    }
}
