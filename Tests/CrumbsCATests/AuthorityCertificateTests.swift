import Crypto
import Foundation
import Testing
import X509

@testable import CrumbsCA

@Suite struct AuthorityCertificateTests {
    /// A CA made by `crumbs ca init`; the expected values come from openssl, not from this code:
    /// `openssl x509 -noout -fingerprint -sha256` and
    /// `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`.
    static let fixturePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBujCCAV+gAwIBAgIQYBVRfCww+kJUn76VqLCTwjAKBggqhkjOPQQDAjA7MSgw
        JgYDVQQDDB9DcnVtYnMgbG9jYWwgQ0EgKHZtKSAyMDI2LTExLTIzMQ8wDQYDVQQK
        DAZDcnVtYnMwHhcNMjYxMTIyMjIxMjM4WhcNMzYxMTIzMjIxMjM4WjA7MSgwJgYD
        VQQDDB9DcnVtYnMgbG9jYWwgQ0EgKHZtKSAyMDI2LTExLTIzMQ8wDQYDVQQKDAZD
        cnVtYnMwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAQnLhoL7xeaKyNazg0aKM4T
        fY2LEXxGmq8qrMtmWaxZCzOO8zzr2xPM8tQqhpZ7f5T4Po+I0UswYOIfVPvdzP7/
        o0UwQzASBgNVHRMBAf8ECDAGAQH/AgEAMA4GA1UdDwEB/wQEAwIBBjAdBgNVHQ4E
        FgQULq1ZtoJdKagb92eBSGEVhNtvczMwCgYIKoZIzj0EAwIDSQAwRgIhAJNc4Gr9
        /VODlIlBfITcNA67ds1RMpGek5Kxws2vZr7VAiEAvSC5UT9sgilhdfrcoNBDthLR
        brlhrZ43odp1iAZXpP0=
        -----END CERTIFICATE-----

        """

    @Test func fingerprintMatchesOpenSSL() throws {
        let certificate = try AuthorityCertificate(pemEncoded: Self.fixturePEM, path: "fixture")
        #expect(
            certificate.sha256Fingerprint
                == "32:14:3A:DA:5B:E3:19:86:E6:B7:D6:D3:51:5D:36:57:5A:66:02:6A:C2:12:CC:99:F4:76:69:2A:59:87:44:26"
        )
    }

    @Test func spkiHashMatchesOpenSSL() throws {
        let certificate = try AuthorityCertificate(pemEncoded: Self.fixturePEM, path: "fixture")
        #expect(certificate.spkiSHA256Base64 == "BG5Lcg/UHhXl5UduJqSA06JkO3ZsUtae0mZA1yDMcHU=")
    }

    @Test func pemRoundTripsByteForByte() throws {
        let certificate = try AuthorityCertificate(pemEncoded: Self.fixturePEM, path: "fixture")
        #expect(certificate.pem == Self.fixturePEM)
        #expect(try Certificate(derEncoded: certificate.derBytes) == certificate.certificate)
    }

    @Test func freshCAFormatsAreWellFormed() throws {
        let certificate = try CertificateAuthority.generate(hostName: "laptop").certificate
        let pairs = certificate.sha256Fingerprint.split(separator: ":")
        #expect(pairs.count == 32)
        #expect(pairs.allSatisfy { $0.count == 2 && $0.allSatisfy { "0123456789ABCDEF".contains($0) } })
        #expect(Data(base64Encoded: certificate.spkiSHA256Base64)?.count == 32)
        let spki = P256.Signing.PublicKey(certificate.certificate.publicKey)!.derRepresentation
        #expect(certificate.spkiSHA256Base64 == Data(SHA256.hash(data: spki)).base64EncodedString())
    }
}
