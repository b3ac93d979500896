/// Tells a client that refused the interception certificate from one that sent something else
/// than TLS, from the error BoringSSL reports for the failed handshake.
///
/// A client that refuses the certificate sends an alert. Under TLS 1.2, and from BoringSSL
/// clients, BoringSSL reports it by name (`…_ALERT_UNKNOWN_CA`, `…_ALERT_BAD_CERTIFICATE`).
/// OpenSSL clients under TLS 1.3 (curl, wget, Python) send their alert in a record BoringSSL
/// cannot read at that point of the handshake, which it reports as `BAD_PACKET_LENGTH`
/// (observed with curl 7.88 / OpenSSL 3.0). Garbage and plain HTTP fail earlier, on the record
/// header (`WRONG_VERSION_NUMBER`, `HTTP_REQUEST`), and are not rejections.
enum ClientCertificateRejection {
    static func isRejection(_ errorDescription: String) -> Bool {
        errorDescription.contains("ALERT") || errorDescription.contains("BAD_PACKET_LENGTH")
    }
}
