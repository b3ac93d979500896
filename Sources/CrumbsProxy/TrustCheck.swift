import Foundation

/// What http://crumbs.internal/ tells a browser about itself: whether Crumbs decrypts its HTTPS,
/// and if not, what is missing. The server knows the verdict of the browser's last check (the
/// `TrustRegistry`); the page's script runs the check again live by loading
/// https://crumbs.internal/trust-check.gif, which only a browser that trusts the CA can load.
enum TrustCheck {
    /// The browser's state as the server knows it.
    enum Status: Equatable {
        /// Crumbs runs without interception: nothing to check.
        case notDecrypting
        case unknown(mode: InterceptionMode)
        case trusted(mode: InterceptionMode)
        case notTrusted(mode: InterceptionMode)
    }

    static let imagePath = "/trust-check.gif"

    /// A transparent 1×1 GIF.
    static let pixel: [UInt8] = [
        0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF,
        0xFF, 0x21, 0xF9, 0x04, 0x01, 0x00, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00,
        0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ]

    static let trustedText = "Crumbs can see your HTTPS traffic: this browser trusts the Crumbs certificate."
    static let notTrustedText =
        "This browser does not trust the Crumbs certificate yet, so Crumbs sees only the names of the HTTPS "
        + "sites you visit, never their pages. Install the certificate (below), restart the browser and reload this page."
    static let checkingText = "Checking whether this browser trusts the Crumbs certificate…"
    static let notDecryptingText =
        "Crumbs was started with --interception off: it sees only the names of the HTTPS sites you visit."

    /// The status section of the page: a sentence for the known state, and (when interception is
    /// possible) the image and script that check again and update the sentence live.
    static func section(_ status: Status) -> String {
        let sentence: String
        var mode: InterceptionMode?
        switch status {
        case .notDecrypting: sentence = notDecryptingText
        case .unknown(let m): (sentence, mode) = (checkingText, m)
        case .trusted(let m): (sentence, mode) = (trustedText, m)
        case .notTrusted(let m): (sentence, mode) = (notTrustedText, m)
        }
        var html = "<p id=\"trust-status\" role=\"status\"><strong>\(sentence.htmlEscaped)</strong></p>\n"
        guard let mode else { return html }
        html += "<p>\(modeSentence(mode).htmlEscaped)</p>\n"
        // Without JavaScript the image still runs the check; a reload shows its result.
        html += """
            <img id="trust-check" src="https://crumbs.internal\(imagePath)?t=\(Int(Date().timeIntervalSince1970 * 1000))" \
            alt="" width="1" height="1">
            <script>
            (function () {
              var image = document.getElementById("trust-check"), status = document.getElementById("trust-status");
              function say(text) { status.textContent = ""; var b = document.createElement("strong"); b.textContent = text; status.appendChild(b); }
              image.addEventListener("load", function () { say(\(jsString(trustedText))); });
              image.addEventListener("error", function () { say(\(jsString(notTrustedText))); });
            })();
            </script>

            """
        return html
    }

    static func modeSentence(_ mode: InterceptionMode) -> String {
        switch mode {
        case .auto:
            "Interception is automatic: Crumbs decrypts a browser's HTTPS once that browser has shown, on this "
                + "page, that it trusts the Crumbs certificate; until then its HTTPS passes through untouched."
        case .on:
            "Interception is on for every browser: a browser that does not trust the Crumbs certificate gets "
                + "an error once per site, then that site passes through untouched for a while."
        }
    }

    /// A JavaScript string literal (the texts are ours; escaped anyway).
    private static func jsString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "<": out += "\\u003c"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
