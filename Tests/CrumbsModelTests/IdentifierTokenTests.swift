import CrumbsModel
import Foundation
import Testing

struct IdentifierTokenTests {
    @Test func gaCookieYieldsTheClientIDCarriedByTheBeacon() {
        let parts = IdentifierTokens.parts(of: "GA1.2.1234567890.1700000000")
        #expect(parts.contains("1234567890.1700000000"))
        #expect(parts.contains("1234567890") && parts.contains("1700000000"))
        #expect(!parts.contains("GA1.2.1234567890.1700000000"))  // the whole value is hashed apart
    }

    @Test func shortPiecesAndUndelimitedValuesGiveNoParts() {
        #expect(IdentifierTokens.parts(of: "a.b.c").isEmpty)
        #expect(IdentifierTokens.parts(of: "0123456789abcdef").isEmpty)
        #expect(IdentifierTokens.parts(of: "").isEmpty)
        #expect(IdentifierTokens.parts(of: Substring(String(repeating: "x.", count: 80))).isEmpty)
    }

    @Test func entropyRanksRandomValuesAboveRepetitiveOnes() {
        let uuid = IdentifierTokens.entropyBits(of: "3f2b8c1e-9d4a-4e7b-8f6a-2c1d0e9b7a65")
        let timestamp = IdentifierTokens.entropyBits(of: "1700000000")
        #expect(uuid > 100)
        #expect(timestamp < 25)
        #expect(IdentifierTokens.entropyBits(of: "aaaaaaaaaa") == 0)
        #expect(IdentifierTokens.entropyBits(of: "") == 0)
    }

    @Test func queryParametersOfIdentifierLengthBecomeHashedTokens() {
        let extractor = URLTokenExtractor(hashValue: { "h(\($0))" })
        let tokens = extractor.tokens(
            inURL: "/collect?v=1&cid=1234567890.1700000000&dl=https%3A%2F%2Fshop.example%2F&flag#frag",
            host: "www.google-analytics.com", source: .query, at: Date(timeIntervalSince1970: 1_700_000_000))
        // The parts of the client id (two ten-digit numbers) and of the URL (`shop.example`) are
        // too predictable to be hashed: only the whole values are.
        #expect(tokens.map(\.name) == ["cid", "dl"])
        #expect(tokens.first?.valueHash == "h(1234567890.1700000000)")
        #expect(tokens.contains { $0.valueHash == "h(https://shop.example/)" })
        #expect(tokens.allSatisfy { $0.host == "www.google-analytics.com" && $0.source == .query })
    }

    @Test func urlsWithoutQueriesOrWithGarbageGiveNoTokens() {
        let extractor = URLTokenExtractor(hashValue: { String($0) })
        #expect(
            extractor.tokens(
                inURL: "/plain/path", host: "a.example", source: .query, at: Date(timeIntervalSince1970: 1_700_000_000)
            ).isEmpty)
        #expect(
            extractor.tokens(
                inURL: "/?=&&=&%zz%zz%zz%zz=", host: "a.example", source: .query,
                at: Date(timeIntervalSince1970: 1_700_000_000)
            ).isEmpty)
        let many = "/?" + (0..<100).map { "p\($0)=value-number-\($0)" }.joined(separator: "&")
        #expect(
            extractor.tokens(
                inURL: Substring(many), host: "a.example", source: .query,
                at: Date(timeIntervalSince1970: 1_700_000_000)
            ).count == 24)
    }
}
