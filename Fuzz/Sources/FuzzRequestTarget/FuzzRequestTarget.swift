import CrumbsModel

/// Request heads' targets, as any client may send them: the method picks CONNECT or not.
/// Invariants are checked on bytes: "/" followed by a combining mark is one Character.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestTarget(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    guard size > 0 else { return 0 }
    let uri = String(decoding: UnsafeBufferPointer(start: data + 1, count: size - 1), as: UTF8.self)
    let method = data[0] & 1 == 0 ? "GET" : "CONNECT"
    switch RequestTarget(method: method, uri: uri) {
    case .absolute(_, let authority, let pathAndQuery):
        precondition((1...65535).contains(authority.port) && pathAndQuery.utf8.first == UInt8(ascii: "/"))
        _ = authority.hostHeader(defaultPort: 80)
    case .connect(let target):
        precondition((1...65535).contains(target.port) && !target.host.isEmpty)
    case .origin(let path):
        precondition(path.utf8.first == UInt8(ascii: "/"))
    case .invalid(let reason):
        precondition(!reason.isEmpty)
    }
    return 0
}
