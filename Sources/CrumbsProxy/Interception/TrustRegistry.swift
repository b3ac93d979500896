import Foundation
import NIOConcurrencyHelpers

/// Which browsers have shown that they trust the Crumbs CA, and which have shown that they do
/// not: what `--interception auto` decrypts by.
///
/// A browser is known by its address and the User-Agent of its CONNECT requests, so that Firefox
/// (its own certificate store) and Chromium (the system's NSS database) on one machine are told
/// apart. The evidence is a TLS handshake with a leaf from the local CA: completed means trusted
/// (the check page at http://crumbs.internal/ loads https://crumbs.internal/trust-check.gif,
/// which Crumbs always decrypts), refused with an alert means not. Memory only: a restart asks
/// again, which the check page does on its next load.
public final class TrustRegistry: Sendable {
    public enum Verdict: Sendable, Equatable {
        case trusted
        /// The browser refused the certificate; `reason` as the TLS library said it.
        case notTrusted(reason: String)
    }

    private struct Key: Hashable {
        var client: String
        var userAgent: String
    }

    private let verdicts = NIOLockedValueBox<[Key: Verdict]>([:])
    /// A bound on browsers remembered; past it the oldest knowledge is dropped wholesale (a
    /// browser that is forgotten is simply asked again).
    static let capacity = 4096

    public init() {}

    public func record(_ verdict: Verdict, client: String, userAgent: String?) {
        verdicts.withLockedValue { verdicts in
            if verdicts.count >= Self.capacity { verdicts.removeAll(keepingCapacity: true) }
            verdicts[Key(client: client, userAgent: userAgent ?? "")] = verdict
        }
    }

    public func verdict(client: String, userAgent: String?) -> Verdict? {
        verdicts.withLockedValue { $0[Key(client: client, userAgent: userAgent ?? "")] }
    }

    public func trusts(client: String, userAgent: String?) -> Bool {
        verdict(client: client, userAgent: userAgent) == .trusted
    }

    /// Browsers known to trust the CA, and known not to.
    public var counts: (trusted: Int, notTrusted: Int) {
        verdicts.withLockedValue { verdicts in
            let trusted = verdicts.values.filter { $0 == .trusted }.count
            return (trusted, verdicts.count - trusted)
        }
    }
}
