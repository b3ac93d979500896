import CrumbsCA
import NIOCore
import X509

/// What `--intercept` needs: the issuer of leaf certificates, extra roots for verifying origins,
/// hosts left alone, and how long a host whose client rejected our certificate stays a plain tunnel.
public struct InterceptionSettings: Sendable {
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
        issuer: LeafCertificateIssuer, additionalTrustRoots: [Certificate] = [], passThrough: [HostPattern] = [],
        rejectedHostPassThrough: TimeAmount = .hours(1), systemTrustRoots: Bool = true
    ) {
        self.issuer = issuer
        self.additionalTrustRoots = additionalTrustRoots
        self.passThrough = passThrough
        self.rejectedHostPassThrough = rejectedHostPassThrough
        self.systemTrustRoots = systemTrustRoots
    }
}
