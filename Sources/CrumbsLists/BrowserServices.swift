/// Hosts that browsers contact on their own behalf — updates, safe browsing, sign-in, telemetry,
/// captive-portal checks — never because a page asked. Seen only as tunnels (or as requests
/// without any page evidence), they would otherwise be attributed to whichever page happened
/// to be open, and show up as a third party of that site ("news-daily → google.com").
///
/// Only events without page evidence are affected: a decrypted request that carries a Referer,
/// an Origin or fetch metadata is attributed by that evidence like any other.
///
/// Sources: the hosts Debian's Chromium 12x and Firefox ESR contacted at start and while idle,
/// behind a logging proxy, with background networking on; and the browsers' documentation of
/// their services (Chromium's "network traffic annotations", Mozilla's "Firefox data
/// collection and use" and "how to stop Firefox from making automatic connections").
public enum BrowserServices {
    /// Exact host names.
    static let hosts: Set<String> = [
        // Chromium and Chrome
        "update.googleapis.com", "optimizationguide-pa.googleapis.com", "safebrowsing.googleapis.com",
        "content-autofill.googleapis.com", "clientservices.googleapis.com", "accounts.google.com",
        "android.clients.google.com", "redirector.gvt1.com", "edgedl.me.gvt1.com", "www.googleapis.com",
        "clients1.google.com", "clients2.google.com", "clients3.google.com", "clients4.google.com",
        "clients5.google.com", "clients6.google.com", "clients2.googleusercontent.com",
        "safebrowsing.google.com", "sb-ssl.google.com",
        // Firefox
        "detectportal.firefox.com", "push.services.mozilla.com", "firefox.settings.services.mozilla.com",
        "content-signature-2.cdn.mozilla.net", "incoming.telemetry.mozilla.org", "shavar.services.mozilla.com",
        "aus5.mozilla.org", "location.services.mozilla.com", "normandy.cdn.mozilla.net",
        "tracking-protection.cdn.mozilla.net", "firefox-settings-attachments.cdn.mozilla.net",
        "contile.services.mozilla.com", "spocs.getpocket.com", "merino.services.mozilla.com",
        // Microsoft Edge
        "edge.microsoft.com", "msedge.api.cdp.microsoft.com", "config.edge.skype.com",
    ]

    /// Whether browsers contact `host` by themselves.
    public static func contains(_ host: String) -> Bool {
        // Hosts arrive lower-cased from the proxy: no copy unless one is not.
        host.utf8.contains { $0 &- 0x41 < 26 } ? hosts.contains(host.lowercased()) : hosts.contains(host)
    }
}
