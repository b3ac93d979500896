import CrumbsReports
import Foundation

/// The dashboard's templates, scripts and style: real files in `Resources/` (the scripts are
/// linted as JavaScript in CI), compiled into the binary by SwiftPM's `embedInCode`, so an
/// installed `crumbs` needs no resource bundle beside it.
///
/// Templates use `{{…}}`, which escapes for HTML: every name from the network is text wherever
/// it lands. Two exceptions, both made safe before they reach a template: the graph's JSON block
/// (`JSONText` writes `<`, `>` and `&` as `\u` escapes) and the legend's swatches (fixed SVG).
enum Assets {
    static let templates: [String: String] = [
        "layout": text(PackageResources.layout_mustache),
        // The digest's own section template: one way to draw a digest table.
        "section": DigestTemplates.section,
        "trust": text(PackageResources.trust_mustache),
        "today": text(PackageResources.today_mustache),
        "today-digest": text(PackageResources.today_digest_mustache),
        "digests": text(PackageResources.digests_mustache),
        "devices": text(PackageResources.devices_mustache),
        "live": text(PackageResources.live_mustache),
        "graph": text(PackageResources.graph_mustache),
        "privacy": text(PackageResources.privacy_mustache),
        "lists": text(PackageResources.lists_mustache),
        "certificate": text(PackageResources.certificate_mustache),
    ]

    /// Files served under /static/, with their content types.
    static let files: [String: (contentType: String, bytes: [UInt8])] = [
        "dashboard.css": ("text/css; charset=utf-8", PackageResources.dashboard_css),
        "trust-check.js": ("text/javascript; charset=utf-8", PackageResources.trust_check_js),
        "live.js": ("text/javascript; charset=utf-8", PackageResources.live_js),
        "today.js": ("text/javascript; charset=utf-8", PackageResources.today_js),
        // The graph page's script is the exported file's: one drawing for both.
        "graph.js": ("text/javascript; charset=utf-8", Array(HTMLGraphPage.script.utf8)),
    ]

    private static func text(_ bytes: [UInt8]) -> String {
        String(decoding: bytes, as: UTF8.self)
    }
}
