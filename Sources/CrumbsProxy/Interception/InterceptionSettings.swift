import CrumbsCA
import NIOCore
import X509

/// When tunnels are decrypted. (Without `InterceptionSettings` at all, never.)
public enum InterceptionMode: String, Sendable, CaseIterable {
    /// Every tunnel not passed through (`--intercept`): browsers that do not trust the CA fail
    /// once per host, then get a plain tunnel for a while.
    case on
    /// Only a browser's tunnels once it has shown that it trusts the Crumbs CA (the check at
    /// http://crumbs.internal/); until then its tunnels stay plain, so nothing ever breaks.
    case auto
}

/// What interception needs: the issuer of leaf certificates, extra roots for verifying origins,
/// hosts left alone, and how long a host whose client rejected our certificate stays a plain tunnel.
public struct InterceptionSettings: Sendable {
    public var mode: InterceptionMode
    public var issuer: LeafCertificateIssuer
    /// Roots trusted for origins besides the system store (`--upstream-ca`: corporate CAs, test origins).
    public var additionalTrustRoots: [Certificate]
    /// Hosts passed through as plain tunnels (`--no-intercept`): banks, pinned apps, the user's choice.
    public var passThrough: [HostPattern]
    /// How long a host stays a plain tunnel after its client refused our certificate.
    public var rejectedHostPassThrough: TimeAmount
    /// Trust the system store (read by swift-certificates from /etc/ssl); tests turn it off so
    /// that only their own roots count.
    public var systemTrustRoots: Bool

    public init(
        mode: InterceptionMode = .on, issuer: LeafCertificateIssuer, additionalTrustRoots: [Certificate] = [],
        passThrough: [HostPattern] = [], rejectedHostPassThrough: TimeAmount = .hours(1), systemTrustRoots: Bool = true
    ) {
        self.mode = mode
        self.issuer = issuer
        self.additionalTrustRoots = additionalTrustRoots
        self.passThrough = passThrough
        self.rejectedHostPassThrough = rejectedHostPassThrough
        self.systemTrustRoots = systemTrustRoots
    }
}
