import CrumbsModel
import CrumbsReports
import Foundation

/// Classified events built the way the proxy builds them: real `Cookie`/`Set-Cookie` headers and
/// URLs go through `CookieParser` and `URLTokenExtractor`, with a deterministic stand-in for the
/// keyed hash, so entropy estimates and token parts are the real ones.
enum CookieFixture {
    static let day0 = Date(timeIntervalSince1970: 1_793_786_400)  // 2026-11-04T10:00:00Z

    // Realistic values (made up, but of the real shapes).
    static let uuid = "550e8400-e29b-41d4-a716-446655440000"
    static let ga = "GA1.2.873245019.1732461234"
    static let gaClientID = "873245019.1732461234"
    static let ide = "AHWqTUm8x1Q2Jd0o7yG9vP3kLcN5bR6sT8wE4fH2jK1mZ"
    static let adnxs = "c6666fcaef041e28d72c2ff53a77fca1"

    /// FNV-1a, hex: deterministic across runs, and different values collide only by accident.
    static let hash: CookieParser.ValueHasher = { value in
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in value.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x100_0000_01b3
        }
        return String(h, radix: 16)
    }
    static let parser = CookieParser(hashValue: hash)
    static let extractor = URLTokenExtractor(hashValue: hash)

    /// Last two labels: good enough for these names; the real CLI passes the Public Suffix List.
    static let siteOf: @Sendable (String) -> String? = { host in
        let labels = host.split(separator: ".")
        return labels.count >= 2 ? labels.suffix(2).joined(separator: ".") : nil
    }

    static let inspector = CookieInspector(siteOf: siteOf)

    /// The host of a fixture URL (the proxy's own parser lives in CrumbsProxy).
    static func hostOf(_ url: String) -> String? {
        URLComponents(string: url)?.host?.lowercased()
    }

    /// An event on `page` (a first-party site) to the host of `url`. Third party unless the host's
    /// site is the page or `sameOwner` is set. `cookie` is a `Cookie` header, `setCookies` are
    /// `Set-Cookie` headers, `referer` and `location` full URLs whose queries give URL tokens.
    static func event(
        page: String?, _ url: String, day: Double = 0, cookie: String? = nil, setCookies: [String] = [],
        referer: String? = nil, location: String? = nil, company: String? = nil, sameOwner: Bool = false,
        tracker: Bool = false, classified: Bool = true
    ) -> RequestEvent {
        let time = day0.addingTimeInterval(day * 86_400)
        let host = hostOf(url) ?? url
        var tokens = extractor.tokens(inURL: Substring(url), host: host, source: .query, at: time)
        if let referer, let refererHost = hostOf(referer) {
            tokens += extractor.tokens(inURL: Substring(referer), host: refererHost, source: .referer, at: time)
        }
        if let location, let locationHost = hostOf(location) {
            tokens += extractor.tokens(inURL: Substring(location), host: locationHost, source: .location, at: time)
        }
        let thirdParty = page != nil && siteOf(host) != page && !sameOwner
        return RequestEvent(
            time: time, clientAddress: "127.0.0.1", method: "GET", scheme: "https", host: host, port: 443,
            path: "/", status: location == nil ? 200 : 302,
            cookiesSent: cookie.map { parser.sentCookies(fromHeader: $0, at: time) } ?? [],
            cookiesSet: setCookies.compactMap { parser.setCookie(fromHeader: $0, receivedAt: time) },
            source: .intercepted, urlTokens: tokens,
            classification: classified
                ? Classification(
                    firstPartySite: page, attribution: .referer, confidence: .high, isThirdParty: thirdParty,
                    isSameOwner: sameOwner, isTracker: tracker, company: company)
                : nil)
    }
}
