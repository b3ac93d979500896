/// The parts of an absolute URL that Crumbs needs without parsing the whole URL: where the
/// scheme ends, the authority (without user info), and the host of a Referer, Origin or Location.
/// Over UTF-8 bytes: most requests carry a Referer, so this runs for nearly all of them.
public enum URLHost {
    /// The index of `://` after a scheme of letters, digits, `+`, `-`, `.` (RFC 3986 §3.1).
    public static func schemeSeparator(in bytes: String.UTF8View) -> String.Index? {
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: ":") {
                let rest = bytes[index...].dropFirst()
                guard rest.count >= 2, rest.first == UInt8(ascii: "/"), rest.dropFirst().first == UInt8(ascii: "/")
                else { return nil }
                return index
            }
            let isSchemeByte =
                (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            guard isSchemeByte else { return nil }
            index = bytes.index(after: index)
        }
        return nil
    }

    /// Splits what follows `scheme://` into the authority, without user info, and the rest (path,
    /// query, fragment). User info (user:pass@host) must not be forwarded, nor name a site.
    public static func splitAuthority(_ afterScheme: Substring) -> (authority: Substring, rest: Substring) {
        let authorityEnd =
            afterScheme.utf8.firstIndex {
                $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
            }
            ?? afterScheme.endIndex
        var authority = afterScheme[..<authorityEnd]
        if let at = authority.utf8.lastIndex(of: UInt8(ascii: "@")) {
            authority = authority[authority.utf8.index(after: at)...]
        }
        return (authority, afterScheme[authorityEnd...])
    }

    /// The host of a full URL (Referer, Origin, Location), lower-cased, without user info or port;
    /// nil for "null", relative URLs and garbage.
    public static func host(ofURL url: String) -> String? {
        guard let schemeEnd = schemeSeparator(in: url.utf8) else { return nil }
        let (authority, _) = splitAuthority(url[url.utf8.index(schemeEnd, offsetBy: 3)...])
        return HostAndPort(authority: authority, defaultPort: 0)?.host
    }
}
