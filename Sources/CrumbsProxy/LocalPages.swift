import CrumbsCA
import Foundation
import NIOHTTP1

/// Answers requests addressed to the proxy itself: the PAC file and a small status page.
/// These are never forwarded.
struct LocalPages {
    /// The name under which browsers reach the CA install page (never forwarded).
    static let internalHost = "crumbs.internal"

    let statistics: ProxyStatistics
    let startedAt: Date
    var caPage = CAInstallPage(authority: nil)
    /// Interception's mode and what it knows of browsers' trust; nil when interception is off.
    var interception: (mode: InterceptionMode, trust: TrustRegistry)?
    /// The store's privacy levels and retention, stated on the status page.
    var recording = RecordingLevels()

    /// The three modes in plain words, for the status page.
    var interceptionSummary: String {
        guard let interception else {
            return "off: HTTPS passes through; Crumbs sees only the names of HTTPS sites."
        }
        let (trusted, notTrusted) = interception.trust.counts
        let browsers = "Browsers known to trust the Crumbs CA: \(trusted); known not to: \(notTrusted)."
        switch interception.mode {
        case .auto:
            return "auto: a browser's HTTPS is decrypted once it has shown, at http://crumbs.internal/, that it "
                + "trusts the Crumbs CA; until then it passes through. " + browsers
        case .on:
            return "on: every browser's HTTPS is decrypted; a browser without the CA fails once per site, then "
                + "that site passes through for a while. " + browsers
        }
    }

    /// `proxyAddress` is the address the client reached us on, as `host:port`.
    func response(for path: String, proxyAddress: String) -> ProxyResponse {
        switch Self.pathWithoutQuery(path) {
        case "/proxy.pac", "/wpad.dat":
            return ProxyResponse(
                status: .ok,
                contentType: "application/x-ns-proxy-autoconfig",
                body: pacFile(proxyAddress: proxyAddress)
            )
        case "/", "/status":
            return ProxyResponse(
                status: .ok, contentType: "text/html; charset=utf-8", body: statusPage(proxyAddress: proxyAddress))
        case "/status.json":
            return ProxyResponse(
                status: .ok, contentType: "application/json", body: statusJSON(proxyAddress: proxyAddress))
        default:
            return .errorPage(
                .notFound, title: "Not Found", detail: "Crumbs serves /proxy.pac, / and /status.json only.")
        }
    }

    /// Sends everything through Crumbs except local names. If Crumbs is not running the browser
    /// falls back to a direct connection rather than breaking (the PAC "; DIRECT" rule).
    func pacFile(proxyAddress: String) -> String {
        """
        // Crumbs proxy auto-config
        function FindProxyForURL(url, host) {
          if (isPlainHostName(host) || host === "localhost" || shExpMatch(host, "127.*") || host === "[::1]")
            return "DIRECT";
          return "PROXY \(proxyAddress); DIRECT";
        }

        """
    }

    func statusPage(proxyAddress: String) -> String {
        let uptime = Int(Date().timeIntervalSince(startedAt))
        return """
            <!doctype html><html><head><meta charset="utf-8"><title>Crumbs</title></head><body>
            <h1>Crumbs is running</h1>
            <p>Proxy address: <code>\(proxyAddress.htmlEscaped)</code>. PAC file: <a href="/proxy.pac">/proxy.pac</a>.</p>
            <table>
            <tr><td>Uptime</td><td>\(uptime) s</td></tr>
            <tr><td>Open connections</td><td>\(statistics.openConnections)</td></tr>
            <tr><td>Requests forwarded</td><td>\(statistics.requests)</td></tr>
            <tr><td>Tunnels opened</td><td>\(statistics.tunnels)</td></tr>
            <tr><td>Clients refused</td><td>\(statistics.refusedClients)</td></tr>
            <tr><td>HTTPS interception</td><td>\(interceptionSummary.htmlEscaped)</td></tr>
            <tr><td>Privacy levels</td><td>\(recording.summary.htmlEscaped)</td></tr>
            </table>
            <p>Is this browser's HTTPS visible to Crumbs? <a href="http://crumbs.internal/">crumbs.internal</a> says.</p>
            </body></html>

            """
    }

    /// The status page's counters for scripts (and the dashboard to come).
    func statusJSON(proxyAddress: String) -> String {
        struct Status: Encodable {
            var proxyAddress: String
            var uptimeSeconds: Int
            var openConnections: Int
            var requestsForwarded: Int
            var tunnelsOpened: Int
            var clientsRefused: Int
            /// auto, on or off.
            var interception: String
            var browsersTrustingCA: Int
            var browsersNotTrustingCA: Int
            /// full, hosts or sites.
            var record: String
            /// addresses, pseudonyms or none.
            var clients: String
            var retentionDays: Int
        }
        let counts = interception?.trust.counts ?? (trusted: 0, notTrusted: 0)
        let status = Status(
            proxyAddress: proxyAddress, uptimeSeconds: Int(Date().timeIntervalSince(startedAt)),
            openConnections: statistics.openConnections, requestsForwarded: statistics.requests,
            tunnelsOpened: statistics.tunnels, clientsRefused: statistics.refusedClients,
            interception: interception?.mode.rawValue ?? "off", browsersTrustingCA: counts.trusted,
            browsersNotTrustingCA: counts.notTrusted, record: recording.record, clients: recording.clients,
            retentionDays: recording.retentionDays)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? String(decoding: encoder.encode(status), as: UTF8.self)).map { $0 + "\n" } ?? "{}\n"
    }

    /// What a local page is chosen by: the path, whatever query follows it.
    static func pathWithoutQuery(_ path: String) -> String {
        path.split(separator: "?", maxSplits: 1).first.map(String.init) ?? path
    }
}
