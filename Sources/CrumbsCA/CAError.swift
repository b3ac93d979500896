import Foundation

/// Why the local CA could not be created, loaded or used, with the file or host involved.
///
/// A struct around a private enum (the swift-nio-extras shape) so new cases can be added without
/// breaking callers; compare `code` to tell failures apart.
public struct CAError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The kind of failure, comparable without the context.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        fileprivate enum Base: String, Hashable, Sendable {
            case missing, alreadyExists, unreadable, corrupt, insecurePermissions, keyMismatch
            case writeFailed, invalidHost, expired, signingFailed
        }
        fileprivate let base: Base
        public var description: String { base.rawValue }

        /// No CA in the directory yet.
        public static let missing = Code(base: .missing)
        /// `init` found an existing CA and will not overwrite it.
        public static let alreadyExists = Code(base: .alreadyExists)
        /// A file exists but could not be read.
        public static let unreadable = Code(base: .unreadable)
        /// A file was read but is not a valid PEM certificate or P-256 key.
        public static let corrupt = Code(base: .corrupt)
        /// The key file can be read by group or others.
        public static let insecurePermissions = Code(base: .insecurePermissions)
        /// The key file does not belong to the certificate.
        public static let keyMismatch = Code(base: .keyMismatch)
        /// A file or directory could not be written.
        public static let writeFailed = Code(base: .writeFailed)
        /// The host is not a DNS name or IP literal a certificate can name.
        public static let invalidHost = Code(base: .invalidHost)
        /// The CA certificate is outside its validity period.
        public static let expired = Code(base: .expired)
        /// swift-certificates refused to build or sign a certificate.
        public static let signingFailed = Code(base: .signingFailed)
    }

    public let code: Code
    /// The file or directory involved, if any.
    public let path: String?
    /// The host a leaf was asked for, if any.
    public let host: String?
    /// What the system or parser said, if anything.
    public let detail: String?

    init(_ code: Code, path: String? = nil, host: String? = nil, detail: String? = nil) {
        self.code = code
        self.path = path
        self.host = host
        self.detail = detail
    }

    public var description: String {
        let path = self.path ?? "?"
        let host = self.host ?? "?"
        let suffix = detail.map { ": \($0)" } ?? ""
        switch code.base {
        case .missing:
            return "no CA yet in \(path): run `crumbs ca init`"
        case .alreadyExists:
            return "a CA already exists in \(path); use `crumbs ca rotate` to replace it"
        case .unreadable:
            return "cannot read \(path)\(suffix)"
        case .corrupt:
            return "\(path) is not valid\(suffix); run `crumbs ca rotate` to make a new CA"
        case .insecurePermissions:
            return "\(path) can be read by other users\(suffix); refusing to use the CA key "
                + "(run `chmod 600 \(path)` if you trust it, or `crumbs ca rotate`)"
        case .keyMismatch:
            return "\(path) does not belong to the CA certificate beside it; run `crumbs ca rotate`"
        case .writeFailed:
            return "cannot write \(path)\(suffix)"
        case .invalidHost:
            return "cannot issue a certificate for host \"\(host)\"\(suffix)"
        case .expired:
            let file = self.path.map { " \($0)" } ?? ""
            return "the CA certificate\(file) is not valid now\(suffix); run `crumbs ca rotate`"
        case .signingFailed:
            return "cannot sign a certificate for \(self.host ?? path)\(suffix)"
        }
    }
}
