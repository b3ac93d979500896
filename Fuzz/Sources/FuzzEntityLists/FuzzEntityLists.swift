import CrumbsLists
import Foundation

/// Entity and category lists (Disconnect's entities and services, DuckDuckGo's tracker data) and
/// the Public Suffix List: files that come from downloads or from the user. The first byte picks
/// the format; the rest is the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEntityLists(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let body = Data(UnsafeBufferPointer(start: data + 1, count: size - 1))
    switch data[0] % 4 {
    case 0: _ = try? DisconnectEntities(data: body)
    case 1: _ = try? DisconnectServices(data: body)
    case 2: _ = try? DuckDuckGoTrackerData(data: body)
    default:
        let list = PublicSuffixList(text: String(decoding: body, as: UTF8.self))
        for host in ["www.example.co.uk", "a.b.c.kawasaki.jp", "xn--85x722f.xn--55qx5d.cn", "localhost", "."] {
            _ = list.registrableDomain(of: host)
        }
    }
    return 0
}
