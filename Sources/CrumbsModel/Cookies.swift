import Foundation

/// A cookie the client sent in a `Cookie` header: its name and a keyed hash of its value.
public struct SentCookie: Sendable, Equatable, Codable {
    public var name: String
    /// Keyed hash (HMAC) of the value, so equal values can be recognised without storing them;
    /// empty when the value cannot be an identifier (see `CookieParser`).
    public var valueHash: String
    public var valueLength: Int
    /// Estimated randomness of the value (`IdentifierTokens.entropyBits`).
    public var entropyBits: Double
    /// Keyed hashes of the value's identifier-length parts (`IdentifierTokens.parts`).
    public var tokenHashes: [String]

    public init(name: String, valueHash: String, valueLength: Int, entropyBits: Double = 0, tokenHashes: [String] = [])
    {
        self.name = name
        self.valueHash = valueHash
        self.valueLength = valueLength
        self.entropyBits = entropyBits
        self.tokenHashes = tokenHashes
    }
}

/// One `Set-Cookie` header as observed, with its attributes but never its value.
public struct SetCookieObservation: Sendable, Equatable, Codable {
    public enum SameSite: String, Sendable, Codable {
        case strict = "Strict"
        case lax = "Lax"
        case none = "None"
    }

    public var name: String
    /// As `SentCookie.valueHash`: empty when the value cannot be an identifier.
    public var valueHash: String
    public var valueLength: Int
    public var domain: String?
    public var path: String?
    /// When the cookie expires; nil for a session cookie. Max-Age wins over Expires (RFC 6265 §5.3).
    public var expires: Date?
    public var secure: Bool
    public var httpOnly: Bool
    public var sameSite: SameSite?
    public var partitioned: Bool
    /// Estimated randomness of the value (`IdentifierTokens.entropyBits`).
    public var entropyBits: Double
    /// Keyed hashes of the value's identifier-length parts (`IdentifierTokens.parts`).
    public var tokenHashes: [String]

    public init(
        name: String,
        valueHash: String,
        valueLength: Int,
        domain: String? = nil,
        path: String? = nil,
        expires: Date? = nil,
        secure: Bool = false,
        httpOnly: Bool = false,
        sameSite: SameSite? = nil,
        partitioned: Bool = false,
        entropyBits: Double = 0,
        tokenHashes: [String] = []
    ) {
        self.name = name
        self.valueHash = valueHash
        self.valueLength = valueLength
        self.domain = domain
        self.path = path
        self.expires = expires
        self.secure = secure
        self.httpOnly = httpOnly
        self.sameSite = sameSite
        self.partitioned = partitioned
        self.entropyBits = entropyBits
        self.tokenHashes = tokenHashes
    }
}
