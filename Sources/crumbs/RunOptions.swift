import ArgumentParser
import CrumbsProxy
import CrumbsService
import Foundation
import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// The flags of `crumbs run`. Each has a config-file key of the same name; the flag wins.
struct RunOptions: ParsableArguments {
    @Option(help: "Address to listen on, host:port (default 127.0.0.1:8080).")
    var listen: String?

    @Option(help: "Allow clients from this network (CIDR, repeatable). Replaces the loopback-only default.")
    var allow: [String] = []

    @Option(name: .customLong("connect-port"), help: "Also allow CONNECT to this port (repeatable; 443 and 80 always).")
    var connectPorts: [Int] = []

    @Option(
        name: .customLong("http-port"),
        help: "Also forward plain HTTP to this port (repeatable; 80, 443, 280, 488, 591, 777 and 1025-65535 always).")
    var httpPorts: [Int] = []

    @Option(help: "Send everything through this parent proxy, http://host:port.")
    var upstream: String?

    @Option(
        name: .customLong("upstream-timeout"), help: "Seconds an upstream may stay silent before a 504 (default 30).")
    var upstreamTimeout: Int?

    @Option(name: .customLong("idle-timeout"), help: "Seconds before an idle client connection is closed (default 60).")
    var idleTimeout: Int?

    @Option(name: .customLong("max-connections"), help: "Cap on concurrent client connections (default 1024).")
    var maxConnections: Int?

    @Option(
        name: .customLong("queue-mib"),
        help: "Memory (MiB) for events waiting to be stored while the disk fails (default 64).")
    var queueMiB: Int?

    @Option(
        name: .customLong("max-connections-per-client"),
        help: "Cap on one client address's concurrent connections (default 256).")
    var maxConnectionsPerClient: Int?

    @Flag(name: .customLong("keep-query"), help: "Record query strings (off by default: they often carry identifiers).")
    var keepQuery = false

    @Option(
        help: ArgumentHelp(
            "The dashboard's loopback address, host:port, or off (default: 127.0.0.1, a port the system picks).",
            discussion: "It answers to http://crumbs.internal/ names and its own address only."))
    var dashboard: String?

    @Option(help: "Language of the daily digests: en or fr (default: the config file's lang, else LANG).")
    var lang: String?

    @Flag(help: "Decrypt every HTTPS tunnel (same as --interception on).")
    var intercept = false

    @Option(
        help: ArgumentHelp(
            "When to decrypt HTTPS with the local CA (made on first use; see `crumbs ca`): auto, on or off.",
            discussion: """
                auto (default): a browser's HTTPS is decrypted once it has shown, at http://crumbs.internal/, \
                that it trusts the Crumbs CA; until then it passes through untouched. on: every tunnel is \
                decrypted (a browser without the CA fails once per site, then that site passes through). \
                off: never; Crumbs sees only the names of HTTPS sites.
                """))
    var interception: String?

    @Option(
        name: .customLong("no-intercept"),
        help: "Leave matching hosts as plain tunnels (repeatable): example.com (with subdomains), *.example.com.")
    var noIntercept: [String] = []

    @Option(
        name: .customLong("upstream-ca"),
        help: "Also trust the CA certificates in this PEM file for origins (repeatable).")
    var upstreamCA: [String] = []

    @Option(
        name: .customLong("reject-passthrough"),
        help: "Minutes a host stays a plain tunnel after its client rejected Crumbs' certificate (default 60).")
    var rejectPassthrough: Int?

    @Option(
        name: .customLong("digest-at"),
        help: "Local time HH:MM to write yesterday's digest into <data dir>/digests, or off (default 00:05).")
    var digestAt: String?

    @Option(name: .customLong("digest-command"), help: "Shell command run with the paths of each digest written.")
    var digestCommand: String?

    @Flag(
        name: .customLong("digest-per-device"),
        help: "Also write each day's digest per device, in <data dir>/digests/devices/<device>/.")
    var digestPerDevice = false

    @Option(
        name: .customLong("retention-days"),
        help: "Delete events older than this many days, once their digest is written (default 90; 0 keeps all).")
    var retentionDays: Int?

    @Flag(
        name: .customLong("with-digests"),
        help: "Retention also deletes the digests and cookie findings of those days (they are kept by default).")
    var withDigests = false

    @OptionGroup var privacy: PrivacyOptions

    /// The interception mode from the flags, else the config file (`intercept = "auto"`, `"on"`,
    /// `"off"`, or `true`/`false` as before), else auto; nil when off.
    func interceptionMode(config: ConfigFile) throws -> InterceptionMode? {
        if intercept, let interception, interception != "on" {
            throw CLIError(
                "--intercept means --interception on; it cannot be combined with --interception \(interception)")
        }
        let text = intercept ? "on" : try interception ?? config.boolOrString("intercept") ?? "auto"
        switch text.lowercased() {
        case "auto": return .auto
        case "on", "true": return .on
        case "off", "false": return nil
        default: throw CLIError("--interception must be auto, on or off (not \(text))")
        }
    }

    /// The interception flags merged over the config file; nil when interception is off.
    func interceptionRequest(config: ConfigFile) throws -> InterceptionRequest? {
        guard let mode = try interceptionMode(config: config) else { return nil }
        let patterns = noIntercept.isEmpty ? try config.strings("no-intercept") ?? [] : noIntercept
        let passThrough = try patterns.map { text in
            guard let pattern = HostPattern(text) else {
                throw CLIError("--no-intercept \(text) is not a host pattern (example.com or *.example.com)")
            }
            return pattern
        }
        let minutes = try rejectPassthrough ?? config.int("reject-passthrough") ?? 60
        guard minutes >= 0 else { throw CLIError("--reject-passthrough must be 0 or more minutes") }
        return InterceptionRequest(
            mode: mode, passThrough: passThrough,
            upstreamCAFiles: upstreamCA.isEmpty ? try config.strings("upstream-ca") ?? [] : upstreamCA,
            rejectedHostPassThrough: .minutes(Int64(minutes)))
    }

    /// Merges flags over the config file over the defaults.
    func proxyConfiguration(config: ConfigFile) throws -> ProxyConfiguration {
        var result = ProxyConfiguration()
        result.ownNames = Self.machineNames()
        if let listen = try listen ?? config.string("listen") {
            let (host, port) = try Self.parseListen(listen)
            result.listenHost = host
            result.listenPort = port
        }
        let allow = allow.isEmpty ? try config.strings("allow") ?? [] : allow
        if !allow.isEmpty {
            result.allowedClients = try allow.map { text in
                guard let cidr = CIDR(text) else { throw CLIError("--allow \(text) is not an address or CIDR network") }
                return cidr
            }
        }
        let ports = connectPorts.isEmpty ? try config.ints("connect-port") ?? [] : connectPorts
        for port in ports {
            guard (1...65535).contains(port) else { throw CLIError("--connect-port \(port) is not a port number") }
            result.connectPorts.insert(port)
        }
        for port in httpPorts.isEmpty ? try config.ints("http-port") ?? [] : httpPorts {
            guard (1...65535).contains(port) else { throw CLIError("--http-port \(port) is not a port number") }
            result.extraHTTPPorts.insert(port)
        }
        if let upstream = try upstream ?? config.string("upstream") {
            guard let proxy = UpstreamProxy(url: upstream) else {
                throw CLIError("--upstream \(upstream) is not http://host:port")
            }
            result.upstreamProxy = proxy
        }
        if let seconds = try upstreamTimeout ?? config.int("upstream-timeout") {
            result.upstreamTimeout = .seconds(Int64(try Self.positive(seconds, "upstream-timeout")))
        }
        if let seconds = try idleTimeout ?? config.int("idle-timeout") {
            result.idleTimeout = .seconds(Int64(try Self.positive(seconds, "idle-timeout")))
        }
        if let cap = try maxConnections ?? config.int("max-connections") {
            result.maxConnections = try Self.positive(cap, "max-connections")
        }
        if let cap = try maxConnectionsPerClient ?? config.int("max-connections-per-client") {
            result.maxConnectionsPerClient = try Self.positive(cap, "max-connections-per-client")
        }
        result.keepQuery = try keepQuery || (config.bool("keep-query") ?? false)
        return result
    }

    /// `--retention-days` / `retention-days` (default 90) and `--with-digests` / `retention-with-digests`.
    func retention(config: ConfigFile) throws -> Retention {
        let days = try retentionDays ?? config.int("retention-days") ?? 90
        guard days >= 0 else { throw CLIError("--retention-days must be 0 (keep everything) or more") }
        return Retention(days: days, withDigests: try withDigests || (config.bool("retention-with-digests") ?? false))
    }

    /// The recorder's queue bound in bytes (`--queue-mib`, default 64 MiB).
    func queueBytes(config: ConfigFile) throws -> Int {
        guard let mib = try queueMiB ?? config.int("queue-mib") else { return 64 << 20 }
        return try Self.positive(mib, "queue-mib") << 20
    }

    /// The machine's host name, short and as configured (`box`, `box.lan`): the names a PAC URL
    /// on the local network uses.
    static func machineNames() -> Set<String> {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return [] }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        let name = String(decoding: bytes, as: UTF8.self).lowercased()
        guard !name.isEmpty else { return [] }
        return [name, String(name.prefix { $0 != "." })]
    }

    static func parseListen(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (0...65535).contains(port)
        else { throw CLIError("--listen \(text) must be host:port, for example 127.0.0.1:8080") }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard (try? SocketAddress(ipAddress: host, port: port)) != nil else {
            throw CLIError("--listen \(text): the host must be an IP address, for example 127.0.0.1")
        }
        return (host, port)
    }

    private static func positive(_ value: Int, _ name: String) throws -> Int {
        guard value > 0 else { throw CLIError("--\(name) must be greater than 0") }
        return value
    }
}
