import CrumbsIngest
import CrumbsProxy
import CrumbsService
import NIOCore

/// What `crumbs run` prints at start: where it listens and how to point a browser at it.
struct Banner {
    let address: SocketAddress
    let databasePath: String
    let configuration: ProxyConfiguration
    let policy: StoragePolicy
    let retention: Retention
    /// Where the dashboard answers, when it runs.
    var dashboard: String? = nil

    var text: String {
        let host = address.ipAddress ?? configuration.listenHost
        let port = address.port ?? configuration.listenPort
        let hostPort = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let allowed = configuration.allowedClients.map(\.description).joined(separator: ", ")
        var lines = [
            "Crumbs is listening on \(hostPort) (clients allowed from \(allowed))",
            "  PAC file:  http://\(hostPort)/proxy.pac",
            "  Chromium:  chromium --proxy-server=http://\(hostPort)",
            "  Firefox:   Settings > Network Settings > Manual proxy configuration:",
            "             HTTP Proxy \(host) Port \(port), and tick \"Also use this proxy for HTTPS\"",
            "             (or Automatic proxy configuration URL: http://\(hostPort)/proxy.pac)",
            "  Data:      \(databasePath)",
        ]
        if let dashboard {
            lines.append(
                "  Dashboard: http://crumbs.internal/ in a browser using this proxy; \(dashboard) on this machine")
        }
        if let upstream = configuration.upstreamProxy {
            lines.append("  Upstream:  every request goes through http://\(upstream.host):\(upstream.port)")
        }
        if let interception = configuration.interception {
            let authority = interception.issuer.authorityCertificate
            switch interception.mode {
            case .auto:
                lines.append(
                    "  HTTPS:     interception auto: a browser's HTTPS is decrypted once it trusts the Crumbs CA")
                lines.append("             (SHA-256 \(authority.sha256Fingerprint)); until then it passes through.")
                lines.append(
                    "             Open http://crumbs.internal/ in the browser: it says which, and how to install it.")
            case .on:
                lines.append(
                    "  HTTPS:     interception on: decrypted with the Crumbs CA (SHA-256 \(authority.sha256Fingerprint))"
                )
                lines.append("             install it from http://crumbs.internal/ in the proxied browser")
            }
            if !interception.passThrough.isEmpty {
                let patterns = interception.passThrough.map(\.description).joined(separator: ", ")
                lines.append("             not decrypted: \(patterns)")
            }
        } else {
            lines.append(
                "  HTTPS:     interception off: tunnelled, host names only (--interception auto or on decrypts)")
        }
        lines.append(contentsOf: recordLines)
        lines.append("Press Ctrl-C to stop.")
        return lines.joined(separator: "\n")
    }

    /// What the store keeps at the active privacy levels, and for how long.
    var recordLines: [String] {
        let query = configuration.keepQuery ? "with query strings" : "no query"
        let what =
            switch policy.record {
            case .full: "host, path (\(query)), status, sizes, Referer/Origin sites, cookie names"
            case .hosts: "host (no path), status, sizes, Referer/Origin sites, cookie names"
            case .sites: "registrable domains only (no host, no path, no cookies), company and category"
            }
        let clients =
            switch policy.clients {
            case .addresses: "client addresses"
            case .pseudonyms: "client pseudonyms (keyed; addresses never stored)"
            case .none: "no client at all"
            }
        let kept = retention.days == 0 ? "kept until forgotten" : "kept \(retention.days) days"
        return [
            "Privacy:   record = \(policy.record), clients = \(policy.clients), retention = \(retention.days) days",
            "Recorded:  \(what); \(clients); \(kept) (`crumbs forget` removes any of it).",
            "Never recorded: cookie values (keyed hashes only), bodies\(configuration.keepQuery ? "" : ", query strings").",
        ]
    }
}
