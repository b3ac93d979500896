import CrumbsModel
import CrumbsReports
import Foundation
import Hummingbird

/// The certificate page: this browser's standing with the local CA (as the proxy saw it), the
/// CA's fingerprint, the download links (served by the proxy) and how to trust it, per platform.
extension Dashboard {
    func certificate(_ request: Request) -> Response {
        let c = catalog(request)
        var object = layout(.certificate, c, title: c.text("dashboard.certificateTitle"), path: "/certificate")
        let labels: [String: String] = [
            "intro": "cert.intro", "fingerprintLabel": "cert.fingerprint", "downloadPem": "cert.downloadPem",
            "downloadCrt": "cert.downloadCrt", "same": "cert.same", "noCA": "cert.none",
            "firefoxTitle": "cert.firefoxTitle", "firefox": "cert.firefox", "chromiumTitle": "cert.chromiumTitle",
            "chromium": "cert.chromium", "chromiumRemove": "cert.chromiumRemove", "macTitle": "cert.macTitle",
            "mac": "cert.mac", "windowsTitle": "cert.windowsTitle", "windows": "cert.windows",
            "iosTitle": "cert.iosTitle", "ios1": "cert.ios1", "ios2": "cert.ios2", "ios3": "cert.ios3",
            "androidTitle": "cert.androidTitle", "android": "cert.android", "rotateTitle": "cert.rotateTitle",
            "rotate": "cert.rotate",
        ]
        Self.add(labels, c, to: &object)
        if let authority = data.certificate() {
            object["fingerprint"] = authority.sha256Fingerprint
            if let notAfter = authority.notAfter {
                object["validUntil"] = c.text(
                    "cert.validUntil", ["date": c.date(Day(containing: notAfter, in: .current))])
            }
        }
        if let trust = Self.trust(request, c) {
            object["trust"] = trust
            object["scripts"] = ["/static/trust-check.js"]
        }
        return html("certificate", object)
    }
}
