import Foundation

/// Parses `Cookie` and `Set-Cookie` header values (RFC 6265 §5.2, §5.4) into observations that
/// carry names, attributes and keyed hashes, never values.
///
/// Only values that can be identifiers (`IdentifierTokens.mayBeIdentifier`) are hashed. The key
/// sits beside the database, so whoever can read one can hash every candidate of a short or
/// predictable value (`zip=90210`, `pin=4821`) and find it again; such values keep their length and
/// randomness estimate only, and an empty hash. Identifiers are what the heuristics compare, and
/// the entropy floor puts them out of reach of that search.
public struct CookieParser: Sendable {
    /// Turns a cookie value into a keyed hash. Injected so this target stays free of crypto.
    public typealias ValueHasher = @Sendable (Substring) -> String

    private let hashValue: ValueHasher

    public init(hashValue: @escaping ValueHasher) {
        self.hashValue = hashValue
    }

    /// Splits a `Cookie` request header into name and hashed value pairs. Pairs without `=` are
    /// kept with an empty name, as browsers send them (RFC 6265bis §5.6 "nameless cookies").
    /// `time` is when the header was sent: a part that reads as a timestamp near it is no identifier.
    public func sentCookies(fromHeader header: String, at time: Date) -> [SentCookie] {
        header.split(separator: ";").compactMap { pair in
            let (name, value) = Self.nameAndValue(pair)
            guard !(name.isEmpty && value.isEmpty) else { return nil }
            let entropy = IdentifierTokens.entropyBits(of: value)
            return SentCookie(
                name: String(name), valueHash: identifierHash(value, entropyBits: entropy, at: time),
                valueLength: value.utf8.count, entropyBits: entropy, tokenHashes: tokenHashes(value, at: time))
        }
    }

    /// Parses one `Set-Cookie` header. Returns nil when the header has no name=value pair at all,
    /// which RFC 6265 §5.2 says to ignore.
    public func setCookie(fromHeader header: String, receivedAt now: Date) -> SetCookieObservation? {
        var parts = header.split(separator: ";", omittingEmptySubsequences: false)[...]
        guard let first = parts.popFirst(), first.utf8.contains(UInt8(ascii: "=")) else { return nil }
        let (name, value) = Self.nameAndValue(first)
        let entropy = IdentifierTokens.entropyBits(of: value)
        var cookie = SetCookieObservation(
            name: String(name),
            valueHash: identifierHash(value, entropyBits: entropy, at: now),
            valueLength: value.utf8.count,
            entropyBits: entropy,
            tokenHashes: tokenHashes(value, at: now)
        )
        var maxAge: Date?
        var expires: Date?
        for attribute in parts {
            let (key, rawValue) = Self.attribute(attribute)
            switch key.lowercased() {
            case "domain":
                // A leading dot is ignored (§5.2.3); an empty Domain attribute is ignored.
                let domain = rawValue.drop(while: { $0 == "." }).lowercased()
                cookie.domain = domain.isEmpty ? nil : domain
            case "path":
                // Byte-wise: "/" followed by a combining mark is one Character, and not hasPrefix("/").
                cookie.path = rawValue.utf8.first == UInt8(ascii: "/") ? String(rawValue) : nil
            case "expires":
                if let date = CookieDate.parse(rawValue) { expires = date }
            case "max-age":
                if let seconds = Self.maxAgeSeconds(rawValue) {
                    maxAge = seconds <= 0 ? Date(timeIntervalSince1970: 0) : now.addingTimeInterval(seconds)
                }
            case "secure": cookie.secure = true
            case "httponly": cookie.httpOnly = true
            case "partitioned": cookie.partitioned = true
            case "samesite":
                switch rawValue.lowercased() {
                case "strict": cookie.sameSite = .strict
                case "lax": cookie.sameSite = .lax
                case "none": cookie.sameSite = SetCookieObservation.SameSite.none
                default: break
                }
            default: break
            }
        }
        // Max-Age takes precedence over Expires whatever their order (§5.3 step 3).
        cookie.expires = maxAge ?? expires
        return cookie
    }

    /// The keyed hash of a value that can be an identifier; "" for any other. `entropyBits` is the
    /// value's, which the caller has computed for the observation anyway.
    private func identifierHash(_ value: Substring, entropyBits: Double, at time: Date) -> String {
        let identifier =
            IdentifierTokens.mayBeIdentifier(length: value.utf8.count, entropyBits: entropyBits)
            && !IdentifierTokens.looksLikeTimestamp(value, near: time)
        return identifier ? hashValue(value) : ""
    }

    /// Keyed hashes of the value's parts, and of its long prefixes, that can be identifiers.
    private func tokenHashes(_ value: Substring, at time: Date) -> [String] {
        var candidates = IdentifierTokens.parts(of: value)
        if value.utf8.count <= IdentifierTokens.maximumLength {
            for prefix in IdentifierTokens.prefixes(of: value) where !candidates.contains(prefix) {
                candidates.append(prefix)
            }
        }
        return candidates.filter { IdentifierTokens.mayBeIdentifier($0, at: time) }.map(hashValue)
    }

    private static func nameAndValue(_ pair: Substring) -> (Substring, Substring) {
        guard let equals = pair.firstIndex(of: "=") else {
            return ("", trimmed(pair))
        }
        let name = trimmed(pair[..<equals])
        var value = trimmed(pair[pair.index(after: equals)...])
        // A value in double quotes is the quoted value itself (§4.1.1); strip the quotes once.
        if value.count >= 2, value.first == "\"", value.last == "\"" {
            value = value.dropFirst().dropLast()
        }
        return (name, value)
    }

    private static func attribute(_ text: Substring) -> (Substring, Substring) {
        guard let equals = text.firstIndex(of: "=") else { return (trimmed(text), "") }
        return (trimmed(text[..<equals]), trimmed(text[text.index(after: equals)...]))
    }

    private static func maxAgeSeconds(_ text: Substring) -> Double? {
        // §5.2.2: a leading '-' or digits only; anything else makes the attribute ignored.
        let digits = text.first == "-" ? text.dropFirst() : text
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        // Very large values saturate instead of failing (browsers cap at 400 days anyway).
        let magnitude = Double(digits) ?? .greatestFiniteMagnitude
        return text.first == "-" ? -magnitude : min(magnitude, 1e11)
    }

    static func trimmed(_ text: Substring) -> Substring {
        var slice = text
        while let first = slice.first, first == " " || first == "\t" { slice.removeFirst() }
        while let last = slice.last, last == " " || last == "\t" { slice.removeLast() }
        return slice
    }
}
