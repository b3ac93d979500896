/// A host name pattern from `--no-intercept`: `bank.example` matches the host and every
/// subdomain, `*.bank.example` only the subdomains, and `*` every host.
public struct HostPattern: Sendable, Hashable, CustomStringConvertible {
    private let suffix: String
    private let subdomainsOnly: Bool

    /// Nil for text that names no host (empty, spaces, a scheme or a path).
    public init?(_ text: String) {
        if text == "*" {
            suffix = ""
            subdomainsOnly = true
            return
        }
        var pattern = Substring(text.lowercased())
        while pattern.hasSuffix(".") { pattern = pattern.dropLast() }
        subdomainsOnly = pattern.hasPrefix("*.")
        if subdomainsOnly { pattern = pattern.dropFirst(2) }
        guard !pattern.isEmpty, !pattern.contains(where: { " /:*@?#".contains($0) }) else { return nil }
        suffix = String(pattern)
    }

    public func matches(_ host: String) -> Bool {
        let host = host.lowercased()
        if suffix.isEmpty { return true }
        if host == suffix { return !subdomainsOnly }
        return host.hasSuffix("." + suffix)
    }

    public var description: String {
        suffix.isEmpty ? "*" : (subdomainsOnly ? "*." : "") + suffix
    }
}
