import Foundation

/// The version `crumbs --version` prints, with the commit it was built from when known. The
/// number is raised by hand with each release; the README's changes say what each brought.
enum CrumbsVersion {
    static let number = "0.1.0"

    /// `crumbs 0.1.0 (commit 6aea1eb)`, or without the commit when it is not known.
    static var description: String {
        commit.map { "crumbs \(number) (commit \($0))" } ?? "crumbs \(number)"
    }

    /// The commit this binary was built from: an installed binary has it in
    /// `<prefix>/share/crumbs/COMMIT` (written by scripts/install and scripts/package); one built
    /// in a checkout reads the checkout's HEAD. SwiftPM has no build-time step to stamp it in.
    static var commit: String? {
        guard let blocklists = BlocklistsLocator.directory() else { return nil }
        let base = URL(fileURLWithPath: blocklists).deletingLastPathComponent()
        if let stamped = try? String(contentsOf: base.appendingPathComponent("COMMIT"), encoding: .utf8) {
            let line = stamped.trimmingCharacters(in: .whitespacesAndNewlines)
            return line.isEmpty ? nil : String(line.prefix(12))
        }
        return headCommit(gitDirectory: base.appendingPathComponent(".git")).map { String($0.prefix(12)) }
    }

    /// The commit `.git/HEAD` names: a detached hash, a loose ref, or a packed one.
    static func headCommit(gitDirectory git: URL) -> String? {
        guard let head = try? String(contentsOf: git.appendingPathComponent("HEAD"), encoding: .utf8) else {
            return nil
        }
        let text = head.trimmingCharacters(in: .whitespacesAndNewlines)
        guard text.hasPrefix("ref: ") else { return isHash(text) ? text : nil }
        let ref = String(text.dropFirst(5))
        if let loose = try? String(contentsOf: git.appendingPathComponent(ref), encoding: .utf8) {
            let hash = loose.trimmingCharacters(in: .whitespacesAndNewlines)
            return isHash(hash) ? hash : nil
        }
        let packed = (try? String(contentsOf: git.appendingPathComponent("packed-refs"), encoding: .utf8)) ?? ""
        for line in packed.split(separator: "\n") where line.hasSuffix(" " + ref) {
            let hash = String(line.prefix { $0 != " " })
            if isHash(hash) { return hash }
        }
        return nil
    }

    private static func isHash(_ text: String) -> Bool {
        text.count >= 7 && text.count <= 64 && text.allSatisfy(\.isHexDigit)
    }
}
