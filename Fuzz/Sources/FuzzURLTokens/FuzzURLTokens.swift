import CrumbsModel
import Foundation

/// URLs whose query parameters are searched for identifiers: any URL a page may request.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzURLTokens(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let url = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let extractor = URLTokenExtractor(hashValue: { String($0.utf8.count) })
    let tokens = extractor.tokens(
        inURL: Substring(url), host: "fuzz.example", source: .query, at: Date(timeIntervalSince1970: 1_700_000_000))
    precondition(tokens.count <= URLTokenExtractor.maximumPerURL)
    for part in IdentifierTokens.parts(of: Substring(url)) { precondition(!part.isEmpty) }
    return 0
}
