import Foundation

/// A possible identifier seen in a URL: the parameter's name and a keyed hash of its value (or of
/// one part of it). Lets the cookie heuristics find a cookie value that travelled in a URL
/// (identifier leaks, cookie syncing) even though neither the query string nor the cookie value
/// is ever stored.
public struct URLToken: Sendable, Equatable, Codable {
    /// Which URL of the exchange carried the parameter.
    public enum Source: String, Sendable, Codable, CaseIterable {
        /// The request's own query string.
        case query
        /// The query string of the URL in the request's Referer header.
        case referer
        /// The query string of a redirect's `Location` header.
        case location
    }

    public var source: Source
    /// Host of the URL that carried it: the request's host, the referring page's host or the
    /// redirect's destination host.
    public var host: String
    /// Parameter name as written (cut at 64 characters).
    public var name: String
    public var valueHash: String

    public init(source: Source, host: String, name: String, valueHash: String) {
        self.source = source
        self.host = host
        self.name = name
        self.valueHash = valueHash
    }
}

/// Finds identifier-like parameter values in URLs and hashes them with the cookie hasher, so
/// they compare equal to `SentCookie.valueHash`/`tokenHashes` for the same text.
public struct URLTokenExtractor: Sendable {
    /// At most this many tokens per URL: a URL with hundreds of parameters is not worth a
    /// hundred rows per request.
    public static let maximumPerURL = 24

    private let hashValue: CookieParser.ValueHasher

    public init(hashValue: @escaping CookieParser.ValueHasher) {
        self.hashValue = hashValue
    }

    /// Tokens in the query of `url`, which is a full URL (`https://a.example/p?x=1`) or an
    /// origin-form target (`/p?x=1`, with `host` naming the host).
    /// `time` is when the URL was requested: a value that reads as a timestamp near it is skipped.
    public func tokens(inURL url: Substring, host: String, source: URLToken.Source, at time: Date) -> [URLToken] {
        guard let question = url.firstIndex(of: "?") else { return [] }
        var query = url[url.index(after: question)...]
        if let hash = query.firstIndex(of: "#") { query = query[..<hash] }
        var result: [URLToken] = []
        for pair in query.split(separator: "&") where result.count < Self.maximumPerURL {
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let rawName = pair[..<equals]
            let rawValue = pair[pair.index(after: equals)...]
            let value = Substring(Self.decoded(rawValue))
            guard value.count >= IdentifierTokens.minimumLength, value.count <= IdentifierTokens.maximumLength
            else { continue }
            let name = String(Self.decoded(rawName).prefix(64))
            // Only candidates that can be identifiers are hashed (see `CookieParser`).
            for candidate in [value] + IdentifierTokens.parts(of: value)
            where result.count < Self.maximumPerURL && IdentifierTokens.mayBeIdentifier(candidate, at: time) {
                result.append(URLToken(source: source, host: host, name: name, valueHash: hashValue(candidate)))
            }
        }
        return result
    }

    /// Percent- and plus-decoding as form encoding does; undecodable text is kept as written.
    private static func decoded(_ text: Substring) -> String {
        let hasPlus = text.utf8.contains(UInt8(ascii: "+"))
        let spaced = hasPlus ? text.replacingOccurrences(of: "+", with: " ") : String(text)
        return spaced.removingPercentEncoding ?? spaced
    }
}
