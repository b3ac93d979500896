/// The ports a proxy forwards plain HTTP to, after Squid's `Safe_ports`: the web ports, the few
/// classic HTTP-speaking services, and everything unprivileged. Anything else (SSH on 22, SMTP on
/// 25, …) is refused, so that a page cannot use the proxy to send HTTP-shaped bytes to a service
/// that would read them as its own protocol (cross-protocol attacks).
public enum SafePorts {
    /// 80 http, 443 https, 280 http-mgmt, 488 gss-http, 591 filemaker, 777 multiling http.
    static let classicHTTP: Set<Int> = [80, 443, 280, 488, 591, 777]
    static let unprivileged = 1025...65535

    public static func allowsHTTP(_ port: Int, extra: Set<Int> = []) -> Bool {
        classicHTTP.contains(port) || unprivileged.contains(port) || extra.contains(port)
    }

    static let httpDescription =
        classicHTTP.sorted().map(String.init).joined(separator: ", ")
        + ", \(unprivileged.lowerBound)–\(unprivileged.upperBound)"
}
