import CrumbsModel
import Foundation

/// `Cookie` and `Set-Cookie` header values, as any server or client may send them. The first
/// byte picks the header; the rest is its value.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCookies(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let header = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    let parser = CookieParser(hashValue: { String($0.utf8.count) })
    if data[0] & 1 == 0 {
        for cookie in parser.sentCookies(fromHeader: header, at: Date(timeIntervalSince1970: 1_700_000_000)) {
            precondition(cookie.valueLength >= 0 && cookie.entropyBits >= 0)
        }
    } else if let cookie = parser.setCookie(fromHeader: header, receivedAt: Date(timeIntervalSince1970: 1_700_000_000))
    {
        precondition(cookie.valueLength >= 0)
    }
    return 0
}
