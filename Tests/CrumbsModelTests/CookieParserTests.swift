import CrumbsModel
import Foundation
import Testing

/// A visible stand-in for the HMAC, so tests can see which value was hashed.
private let parser = CookieParser(hashValue: { "h(\($0))" })
private let now = Date(timeIntervalSince1970: 1_700_000_000)

@Test func cookieHeaderGivesNamesAndHashesNotValues() {
    let cookies = parser.sentCookies(
        fromHeader: "_ga=GA1.2.873245019.1732461234; sid=abc; empty=", at: Date(timeIntervalSince1970: 1_700_000_000))
    #expect(cookies.map(\.name) == ["_ga", "sid", "empty"])
    #expect(cookies.map(\.valueHash) == ["h(GA1.2.873245019.1732461234)", "", ""])
    #expect(cookies.map(\.valueLength) == [26, 3, 0])
}

/// The key sits beside the database: a hash of `90210` is found again by hashing every zip code.
/// Values that cannot be identifiers keep only their length and randomness estimate.
@Test func shortOrPredictableValuesAreNotHashedSoTheyCannotBeRecovered() {
    let uuid = "3f2b8c1e-9d4a-4e7b-8f6a-2c1d0e9b7a65"
    let cookies = parser.sentCookies(
        fromHeader: "zip=90210; pin=4821; lang=en_US.UTF-8; ts=1732467123456; uid=\(uuid)",
        at: Date(timeIntervalSince1970: 1_700_000_000))
    #expect(cookies.map(\.valueHash) == ["", "", "", "", "h(\(uuid))"])
    #expect(cookies.map(\.valueLength) == [5, 4, 11, 13, 36])
    #expect(cookies.allSatisfy { $0.tokenHashes.allSatisfy { $0.hasPrefix("h(") && $0 != "h()" } })
    let set = parser.setCookie(fromHeader: "pin=4821; Path=/", receivedAt: now)
    #expect(set?.valueHash == "" && set?.valueLength == 4)
}

@Test func quotedCookieValueIsUnquotedOnce() {
    let cookies = parser.sentCookies(
        fromHeader: #"a="quoted value"; b=""; c="; d="x"y""#, at: Date(timeIntervalSince1970: 1_700_000_000))
    #expect(cookies.map(\.valueLength) == [12, 0, 1, 3])
    let random = parser.sentCookies(
        fromHeader: #"a="3f2b8c1e-9d4a-4e7b-8f6a""#, at: Date(timeIntervalSince1970: 1_700_000_000))
    #expect(random.map(\.valueHash) == ["h(3f2b8c1e-9d4a-4e7b-8f6a)"])
}

@Test func namelessCookieAndStraySemicolonsAreHandled() {
    let cookies = parser.sentCookies(fromHeader: " ; lonely ;; x=1 ", at: Date(timeIntervalSince1970: 1_700_000_000))
    #expect(cookies.map(\.name) == ["", "x"])
    #expect(cookies.map(\.valueLength) == [6, 1])
}

@Test func setCookieAttributesAreParsed() throws {
    let cookie = try #require(
        parser.setCookie(
            fromHeader: "id=XYZ; Domain=.Tracker.example; Path=/ads; Secure; HttpOnly; SameSite=None; Partitioned",
            receivedAt: now
        )
    )
    #expect(cookie.name == "id")
    #expect(cookie.valueHash == "")
    #expect(cookie.valueLength == 3)
    #expect(cookie.domain == "tracker.example")
    #expect(cookie.path == "/ads")
    #expect(cookie.secure && cookie.httpOnly && cookie.partitioned)
    #expect(cookie.sameSite == SetCookieObservation.SameSite.none)
    #expect(cookie.expires == nil)
}

@Test func missingAttributesGiveASessionCookie() throws {
    let cookie = try #require(parser.setCookie(fromHeader: "s=1", receivedAt: now))
    #expect(cookie.domain == nil && cookie.path == nil && cookie.expires == nil)
    #expect(!cookie.secure && !cookie.httpOnly && cookie.sameSite == nil)
}

@Test func maxAgeWinsOverExpiresWhateverTheOrder() throws {
    let first = try #require(
        parser.setCookie(fromHeader: "a=1; Max-Age=3600; Expires=Wed, 21 Oct 2037 07:28:00 GMT", receivedAt: now)
    )
    let second = try #require(
        parser.setCookie(fromHeader: "a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Max-Age=3600", receivedAt: now)
    )
    #expect(first.expires == now.addingTimeInterval(3600))
    #expect(second.expires == now.addingTimeInterval(3600))
}

@Test func zeroOrNegativeMaxAgeExpiresAtOnce() throws {
    let cookie = try #require(parser.setCookie(fromHeader: "a=1; Max-Age=-5", receivedAt: now))
    #expect(cookie.expires == Date(timeIntervalSince1970: 0))
}

@Test func badMaxAgeIsIgnored() throws {
    let cookie = try #require(parser.setCookie(fromHeader: "a=1; Max-Age=12abc", receivedAt: now))
    #expect(cookie.expires == nil)
}

@Test(arguments: [
    ("Wed, 21 Oct 2037 07:28:00 GMT", 2_139_722_880.0),
    ("Wednesday, 21-Oct-37 07:28:00 GMT", 2_139_722_880.0),
    ("Wed Oct 21 07:28:00 2037", 2_139_722_880.0),
    ("21 Oct 1999 07:28:00", 940_490_880.0),
])
func expiresDateFormatsAreParsed(text: String, expected: Double) throws {
    let cookie = try #require(parser.setCookie(fromHeader: "a=1; Expires=\(text)", receivedAt: now))
    #expect(cookie.expires == Date(timeIntervalSince1970: expected))
}

@Test(arguments: [
    "not a date", "Wed, 32 Oct 2037 07:28:00 GMT", "Wed, 21 Oct 2037 25:00:00 GMT", "31 Feb 2030 00:00:00", "",
])
func badExpiresDatesAreIgnored(text: String) throws {
    let cookie = try #require(parser.setCookie(fromHeader: "a=1; Expires=\(text)", receivedAt: now))
    #expect(cookie.expires == nil)
}

@Test func setCookieWithoutEqualsIsIgnored() {
    #expect(parser.setCookie(fromHeader: "garbage; Path=/", receivedAt: now) == nil)
}

@Test func unknownSameSiteValueIsIgnored() throws {
    let cookie = try #require(parser.setCookie(fromHeader: "a=1; SameSite=Bogus", receivedAt: now))
    #expect(cookie.sameSite == nil)
}

/// Found by scripts/fuzz: "/" followed by a combining mark is a single Character, so a
/// Character-wise `hasPrefix("/")` dropped such a path.
@Test func aPathStartingWithASlashAndACombiningMarkIsKept() throws {
    let cookie = try #require(parser.setCookie(fromHeader: "id=1; Path=/\u{34B}x", receivedAt: now))
    #expect(cookie.path == "/\u{34B}x")
}
