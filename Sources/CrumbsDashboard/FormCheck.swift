import Foundation
import HTTPTypes
import Hummingbird

/// Every state change (forget, device names, list reload) is a POST that must come from a page
/// of the dashboard itself: its `Origin` is the dashboard's (a page elsewhere cannot forge it),
/// and it carries this installation's form token (derived from the install secret, so another
/// installation's pages, or a guess, do not have it).
struct FormCheck: Sendable {
    let token: String
    /// Host names (lower case) a page of the dashboard is served under.
    let hosts: Set<String>
    /// The dashboard's own address, any port.
    let ownHost: String

    /// The form's fields, or nil when the request is not one the dashboard's own page made.
    func fields(_ request: Request) async -> [String: String]? {
        guard originIsOurs(request.headers[.origin]),
            request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true,
            let body = try? await request.body.collect(upTo: 64 * 1024)
        else { return nil }
        guard let fields = try? URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: body)),
            let sent = fields["token"], Self.constantTimeEqual(sent, token)
        else { return nil }
        return fields
    }

    func originIsOurs(_ origin: String?) -> Bool {
        guard let origin, let url = URL(string: origin), url.scheme == "http", let name = url.host?.lowercased()
        else { return false }
        // An IPv6 address may come with or without its brackets.
        let host = name.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return (hosts.contains(host) && url.port == nil) || host == ownHost
    }

    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    static var refused: Response {
        Response(
            status: .forbidden, headers: [.contentType: "text/plain; charset=utf-8"],
            body: .init(
                byteBuffer: ByteBuffer(
                    string:
                        "Refused: changes are accepted only from Crumbs' own pages (reload the page and try again).\n"))
        )
    }
}
