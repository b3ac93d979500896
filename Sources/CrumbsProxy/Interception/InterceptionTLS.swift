import CrumbsCA
import NIOConcurrencyHelpers
import NIOCore
import NIOSSL
import X509

/// The TLS side of interception, shared by every connection: server contexts carrying the leaf
/// minted for each host, one client context for origins, the roots origins are verified against,
/// and the hosts whose clients refused our certificate.
final class InterceptionTLS: Sendable {
    let settings: InterceptionSettings
    /// The TLS client side towards origins: made on first use. The system's trust roots, parsed
    /// twice (BoringSSL's store and swift-certificates' for our own verification), cost about
    /// 7 MiB, and in auto mode no origin is reached in TLS until a browser trusts the CA.
    private let client = NIOLockedValueBox<(context: NIOSSLContext, roots: CertificateStore)?>(nil)
    let rejectedHosts: RejectedHosts
    /// Browsers known to trust the CA, or not (`--interception auto` decrypts by it).
    let trust = TrustRegistry()
    /// Server contexts by host. A context costs more to build than the leaf itself (key parsing,
    /// BoringSSL setup), so it is kept; the cap bounds memory, and dropping everything at the cap
    /// is enough because the issuer's own LRU keeps re-minting cheap.
    private let serverContexts = NIOLockedValueBox<[String: NIOSSLContext]>([:])
    private static let maxServerContexts = 1024
    /// How long a closing TLS connection waits for the peer's close_notify. NIOSSL's default of
    /// 5 s holds a descriptor per closed connection for nothing: TLS 1.3 (RFC 8446 §6.1) does not
    /// require waiting for the peer's reply, and many clients never send one.
    private static let shutdownTimeout = TimeAmount.milliseconds(500)

    init(settings: InterceptionSettings) throws {
        self.settings = settings
        rejectedHosts = RejectedHosts(duration: settings.rejectedHostPassThrough)
    }

    /// The client context and the roots origins are verified against, made on first use.
    private func clientSide() throws -> (context: NIOSSLContext, roots: CertificateStore) {
        try client.withLockedValue { made in
            if let made { return made }
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.minimumTLSVersion = .tlsv12
            configuration.applicationProtocols = ["http/1.1"]
            // Verification is ours (see UpstreamVerifier); BoringSSL still checks the handshake itself.
            configuration.certificateVerification = .fullVerification
            configuration.shutdownTimeout = Self.shutdownTimeout
            let context = try NIOSSLContext(configuration: configuration)
            let base = settings.systemTrustRoots ? CertificateStore.systemTrustRoots : CertificateStore()
            let side = (context: context, roots: base.appending(contentsOf: settings.additionalTrustRoots))
            made = side
            return side
        }
    }

    /// Whether a CONNECT from `client` (whose CONNECT carried `userAgent`) to `host` is decrypted
    /// rather than tunnelled. Crumbs' own name always is: that is how trust is checked.
    func shouldIntercept(_ host: String, client: String, userAgent: String?) -> Bool {
        if host == LocalPages.internalHost { return true }
        guard !settings.passThrough.contains(where: { $0.matches(host) }), !rejectedHosts.contains(host, client: client)
        else { return false }
        switch settings.mode {
        case .on: return true
        case .auto: return trust.trusts(client: client, userAgent: userAgent)
        }
    }

    /// TLS to the origin `host`, verified by `UpstreamVerifier`; `verdict` receives the reason
    /// when the origin's certificate is refused. IP literals are not sent as SNI.
    func clientHandler(
        for host: String, verdict: NIOLockedValueBox<UpstreamVerifier.Refusal?>
    ) throws -> NIOSSLClientHandler {
        let side = try clientSide()
        let verifier = UpstreamVerifier(trustRoots: side.roots, host: host)
        return try NIOSSLClientHandler(
            context: side.context, serverHostname: IPAddressText.isAddress(host) ? nil : host,
            customVerificationCallback: verifier.callback(verdict: verdict))
    }

    /// A server context presenting a leaf for `host`, signed by the local CA; ALPN offers only
    /// HTTP/1.1 because that is what the proxy speaks.
    func serverContext(for host: String) throws -> NIOSSLContext {
        let leaf = try settings.issuer.certificate(for: host)
        if let cached = serverContexts.withLockedValue({ $0[leaf.host] }) { return cached }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: try leaf.chainDER.map { .certificate(try NIOSSLCertificate(bytes: $0, format: .der)) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: leaf.privateKeyDER, format: .der))
        )
        configuration.minimumTLSVersion = .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        configuration.shutdownTimeout = Self.shutdownTimeout
        let context = try NIOSSLContext(configuration: configuration)
        serverContexts.withLockedValue { contexts in
            if contexts.count >= Self.maxServerContexts { contexts.removeAll(keepingCapacity: true) }
            contexts[leaf.host] = context
        }
        return context
    }
}

/// Hosts whose certificate a client refused (a pinned app, or a browser that does not trust the
/// local CA yet): passed through as plain tunnels for that client until the time runs out. Kept
/// per client, so that one device without the CA does not switch interception off for the others.
final class RejectedHosts: Sendable {
    private struct Key: Hashable {
        var client: String
        var host: String
    }

    private let duration: TimeAmount
    private let until = NIOLockedValueBox<[Key: NIODeadline]>([:])

    init(duration: TimeAmount) {
        self.duration = duration
    }

    func remember(_ host: String, client: String) {
        let deadline = NIODeadline.now() + duration
        until.withLockedValue { entries in
            // Expired entries go when new ones come, so the table stays as small as what is current.
            let now = NIODeadline.now()
            if entries.count >= 256 { entries = entries.filter { $0.value > now } }
            entries[Key(client: client, host: host.lowercased())] = deadline
        }
    }

    func contains(_ host: String, client: String) -> Bool {
        let key = Key(client: client, host: host.lowercased())
        return until.withLockedValue { entries in
            guard let deadline = entries[key] else { return false }
            if deadline > .now() { return true }
            entries[key] = nil
            return false
        }
    }
}
