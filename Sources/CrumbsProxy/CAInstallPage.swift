import CrumbsCA

/// `http://crumbs.internal/`: the local CA's certificate and how to trust it on each platform.
/// Served by the proxy itself, so a phone or a classroom laptop routed through Crumbs can fetch
/// the certificate without copying files around. The steps cover what mitmproxy users most often
/// get stuck on (mitmproxy issues 3748, 6523, 3223): Firefox's own store, the Linux NSS database
/// Chromium reads, and iOS's separate "full trust" switch.
struct CAInstallPage {
    let authority: AuthorityCertificate?

    /// `trust`: what is known of the asking browser's trust in the CA.
    /// The paths the proxy keeps when the dashboard serves the rest of crumbs.internal (its own
    /// certificate page included): the certificate files and the trust check's image.
    static func serves(_ path: String) -> Bool {
        ["/crumbs-ca.pem", "/crumbs-ca.crt", TrustCheck.imagePath].contains(
            LocalPages.pathWithoutQuery(path))
    }

    func response(for path: String, trust: TrustCheck.Status = .notDecrypting) -> ProxyResponse {
        let pathOnly = LocalPages.pathWithoutQuery(path)
        switch pathOnly {
        case "/", "/index.html", "/certificate":
            return ProxyResponse(
                status: .ok, contentType: "text/html; charset=utf-8", body: page(TrustCheck.section(trust)))
        case TrustCheck.imagePath:
            // Reached over https only by a browser that trusts the CA: the handshake was the test.
            var response = ProxyResponse(status: .ok, contentType: "image/gif", body: "")
            response.bodyBytes = TrustCheck.pixel
            return response
        case "/crumbs-ca.pem", "/crumbs-ca.crt":
            guard let authority else { return missing }
            // PEM under both names: every platform below accepts PEM; `.crt` is what Android,
            // iOS and Windows offer to open as a certificate.
            let type = pathOnly.hasSuffix(".crt") ? "application/x-x509-ca-cert" : "application/x-pem-file"
            var response = ProxyResponse(status: .ok, contentType: type, body: authority.pem)
            response.extraHeaders = [("Content-Disposition", "attachment; filename=\"\(pathOnly.dropFirst())\"")]
            return response
        default:
            return .errorPage(
                .notFound, title: "Not Found",
                detail:
                    "crumbs.internal serves /, /certificate, /crumbs-ca.pem, /crumbs-ca.crt and \(TrustCheck.imagePath)."
            )
        }
    }

    private var missing: ProxyResponse {
        .errorPage(
            .notFound, title: "No certificate yet",
            detail: "This Crumbs has no local CA. Run `crumbs ca init` (or `crumbs run --intercept`) first.")
    }

    private func page(_ trustSection: String) -> String {
        let fingerprint =
            authority.map { "<p>SHA-256 fingerprint: <code>\($0.sha256Fingerprint.htmlEscaped)</code></p>" }
            ?? "<p><strong>No CA yet:</strong> run <code>crumbs ca init</code> on the machine running Crumbs.</p>"
        return """
            <!doctype html><html lang="en"><head><meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1"><title>Crumbs CA</title>
            <style>body{font:16px/1.5 system-ui,sans-serif;max-width:46em;margin:1em auto;padding:0 1em}
            code,pre{background:#f3f3f3;padding:0 .2em}pre{padding:.5em;overflow-x:auto}h2{margin-top:1.5em}</style>
            </head><body>
            <h1>Trust the Crumbs certificate authority</h1>
            \(trustSection)
            <p>Crumbs decrypts HTTPS only if this device trusts the certificate authority Crumbs created on
            <em>your</em> machine. Install it only on devices whose traffic you are allowed to inspect, and remove it
            when you stop using Crumbs. The private key never leaves the machine running Crumbs.</p>
            \(fingerprint)
            <p><a href="/crumbs-ca.pem">Download crumbs-ca.pem</a> · <a href="/crumbs-ca.crt">Download crumbs-ca.crt</a>
            (same certificate). Compare the fingerprint with <code>crumbs ca show</code>.</p>
            <h2>Firefox (any system)</h2>
            <p>Firefox has its own certificate store. Settings → Privacy &amp; Security → Certificates → View
            Certificates → Authorities → Import… → choose <code>crumbs-ca.pem</code> → tick “Trust this CA to identify
            websites”.</p>
            <h2>Chromium / Chrome on Linux</h2>
            <p>They read the NSS database in your home directory (package <code>libnss3-tools</code>):</p>
            <pre>certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Crumbs CA" -i crumbs-ca.pem</pre>
            <p>Restart the browser. Remove with <code>certutil -d sql:$HOME/.pki/nssdb -D -n "Crumbs CA"</code>.</p>
            <h2>macOS (Safari, Chrome)</h2>
            <pre>sudo security add-trusted-cert -d -r trustRoot -k /Library/Keychains/System.keychain crumbs-ca.pem</pre>
            <p>Or open the file in Keychain Access, then Trust → “When using this certificate: Always Trust”.</p>
            <h2>Windows (Edge, Chrome)</h2>
            <pre>certutil -addstore -user Root crumbs-ca.crt</pre>
            <p>Or double-click <code>crumbs-ca.crt</code> → Install Certificate → Current User → “Place all
            certificates in the following store” → Trusted Root Certification Authorities.</p>
            <h2>iOS / iPadOS</h2>
            <ol><li>Open this page in Safari and download <code>crumbs-ca.crt</code>; allow the profile download.</li>
            <li>Settings → General → VPN &amp; Device Management → the Crumbs profile → Install.</li>
            <li><strong>Then the step everyone misses:</strong> Settings → General → About → Certificate Trust
            Settings → turn on full trust for the Crumbs CA. Without it Safari still rejects every site.</li></ol>
            <h2>Android</h2>
            <p>Settings → Security → Encryption &amp; credentials → Install a certificate → CA certificate → choose
            <code>crumbs-ca.crt</code>. Chrome trusts user CAs; most apps (targeting Android 7 or later) do not, and
            Crumbs then passes them through as plain tunnels.</p>
            <h2>After <code>crumbs ca rotate</code></h2>
            <p>Remove the old “Crumbs” authority everywhere you installed it and install the new one.</p>
            </body></html>

            """
    }
}
