import Crypto
import Foundation
import Testing
import X509

@testable import CrumbsCA

@Suite struct CAStoreTests {
    @Test func initCreatesCAWithRequiredFieldsAndExtensions() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let now = Date(timeIntervalSince1970: 1_795_305_600)  // 2026-11-22T00:00:00Z
        let authority = try directory.store.create(hostName: "laptop", now: now)
        let certificate = authority.certificate.certificate

        #expect(certificate.subject.description == "O=Crumbs,CN=Crumbs local CA (laptop) 2026-11-22")
        #expect(certificate.issuer == certificate.subject)
        #expect(certificate.signatureAlgorithm == .ecdsaWithSHA256)
        #expect(P256.Signing.PublicKey(certificate.publicKey) != nil)
        #expect(certificate.notValidBefore == now.addingTimeInterval(-86_400))
        #expect(certificate.notValidAfter == Date(timeIntervalSince1970: 2_110_924_800))  // 2036-11-22
        #expect(certificate.serialNumber.bytes.count == 16)

        let extensions = certificate.extensions
        #expect(try extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(extensions[oid: .X509ExtensionID.basicConstraints]?.critical == true)
        #expect(try extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(extensions[oid: .X509ExtensionID.keyUsage]?.critical == true)
        #expect(try extensions.subjectKeyIdentifier == SubjectKeyIdentifier(hash: certificate.publicKey))
        #expect(certificate.publicKey.isValidSignature(certificate.signature, for: certificate))
    }

    @Test func keyFileIs0600AndDirectoryIs0700() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = directory.store
        try store.create(hostName: "laptop")
        #expect(try permissions(store.keyPath) == 0o600)
        #expect(try permissions(store.directory) == 0o700)
        #expect(try permissions(store.certificatePath) == 0o644)
        #expect(!FileManager.default.fileExists(atPath: store.keyPath + ".new"))
    }

    @Test func initRefusesToOverwriteAndPointsAtRotate() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let first = try directory.store.create(hostName: "laptop")
        let error = caError { try directory.store.create(hostName: "laptop") }
        #expect(error?.code == .alreadyExists)
        #expect(error?.description.contains("crumbs ca rotate") == true)
        #expect(try directory.store.load().certificate == first.certificate)
    }

    @Test func loadRoundTripsCertificateAndKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let created = try directory.store.create(hostName: "laptop")
        let loaded = try directory.store.load()
        #expect(loaded.certificate == created.certificate)
        #expect(loaded.privateKey == created.privateKey)
        #expect(try directory.store.loadCertificate() == created.certificate)
    }

    @Test func missingCATellsTheUserToRunInit() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let error = caError { try directory.store.load() }
        #expect(error?.code == .missing)
        #expect(error?.description == "no CA yet in \(directory.path)/ca: run `crumbs ca init`")
        #expect(caError { try directory.store.rotate(hostName: "laptop") }?.code == .missing)
    }

    @Test(arguments: [CAStore.keyFileName, CAStore.certificateFileName])
    func halfACAPointsAtRotateNotInit(lost: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = directory.store
        try store.create(hostName: "laptop")
        try FileManager.default.removeItem(atPath: store.directory + "/" + lost)
        let error = caError { try store.load() }
        #expect(error?.code == .unreadable)
        #expect(error?.path == store.directory + "/" + lost)
        #expect(error?.description.contains("crumbs ca rotate") == true)
        #expect(throws: Never.self) { try store.rotate(hostName: "laptop") }
        #expect(throws: Never.self) { try store.load() }
    }

    @Test func keyReadableByOthersIsRefused() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = directory.store
        try store.create(hostName: "laptop")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store.keyPath)
        let error = caError { try store.load() }
        #expect(error?.code == .insecurePermissions)
        #expect(error?.path == store.keyPath)
        #expect(error?.description.contains("mode 0644") == true)
        // The certificate alone stays usable for `show` and `export`.
        #expect(throws: Never.self) { try store.loadCertificate() }
    }

    @Test(arguments: ["not a certificate\n", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"])
    func corruptCertificateNamesTheFile(contents: String) throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = directory.store
        try store.create(hostName: "laptop")
        try contents.write(toFile: store.certificatePath, atomically: false, encoding: .utf8)
        let error = caError { try store.load() }
        #expect(error?.code == .corrupt)
        #expect(error?.path == store.certificatePath)
        #expect(error?.description.hasPrefix("\(store.certificatePath) is not valid") == true)
    }

    @Test func corruptKeyNamesTheFileWithoutQuotingIt() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = directory.store
        try store.create(hostName: "laptop")
        let garbage = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0Ynl0ZXM=\n-----END PRIVATE KEY-----\n"
        try garbage.write(toFile: store.keyPath, atomically: false, encoding: .utf8)
        let error = caError { try store.load() }
        #expect(error?.code == .corrupt)
        #expect(error?.path == store.keyPath)
        #expect(error?.description.contains("c2VjcmV0") == false)
    }

    @Test func keyOfAnotherCAIsAMismatch() throws {
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        defer {
            first.cleanUp()
            second.cleanUp()
        }
        try first.store.create(hostName: "a")
        try second.store.create(hostName: "b")
        try FileManager.default.removeItem(atPath: first.store.keyPath)
        try FileManager.default.copyItem(atPath: second.store.keyPath, toPath: first.store.keyPath)
        #expect(caError { try first.store.load() }?.code == .keyMismatch)
    }

    @Test func rotateMakesANewCAKeepsOldCertificateAndDeletesOldKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = directory.store
        let made = Date(timeIntervalSince1970: 1_795_305_600)  // 2026-11-22
        let old = try store.create(hostName: "laptop", now: made)
        let rotation = try store.rotate(hostName: "laptop", now: made.addingTimeInterval(30 * 86_400))

        #expect(rotation.authority.certificate.sha256Fingerprint != old.certificate.sha256Fingerprint)
        #expect(rotation.authority.certificate.spkiSHA256Base64 != old.certificate.spkiSHA256Base64)
        #expect(rotation.retiredCertificatePath == store.directory + "/crumbs-ca.2026-11-22.pem.old")
        #expect(rotation.retiredCertificate == old.certificate)
        #expect(rotation.removedOldKey)
        let retired = try String(contentsOfFile: store.directory + "/crumbs-ca.2026-11-22.pem.old", encoding: .utf8)
        #expect(retired == old.certificate.pem)
        let loaded = try store.load()
        #expect(loaded.certificate == rotation.authority.certificate)
        #expect(loaded.privateKey != old.privateKey)
        #expect(try permissions(store.keyPath) == 0o600)
        let names = try FileManager.default.contentsOfDirectory(atPath: store.directory).sorted()
        #expect(names == ["crumbs-ca-key.pem", "crumbs-ca.2026-11-22.pem.old", "crumbs-ca.pem"])
    }

    @Test func rotateRepairsARefusedKeyAndNeverReusesARetiredName() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let store = directory.store
        let now = Date(timeIntervalSince1970: 1_795_305_600)
        try store.create(hostName: "laptop", now: now)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: store.keyPath)
        let first = try store.rotate(hostName: "laptop", now: now)
        let second = try store.rotate(hostName: "laptop", now: now)
        #expect(first.retiredCertificatePath != second.retiredCertificatePath)
        #expect(second.retiredCertificatePath?.hasSuffix("crumbs-ca.2026-11-22-2.pem.old") == true)
        #expect(throws: Never.self) { try store.load() }
    }

    @Test func descriptionsNeverContainTheKey() throws {
        let directory = try TemporaryDirectory()
        defer { directory.cleanUp() }
        let authority = try directory.store.create(hostName: "laptop")
        let keyPEM = try String(contentsOfFile: directory.store.keyPath, encoding: .utf8)
        let keyBody = keyPEM.split(separator: "\n")[1]
        var dumped = ""
        dump(authority, to: &dumped)
        for text in [authority.description, String(reflecting: authority), dumped] {
            #expect(!text.contains(keyBody))
            #expect(!text.lowercased().contains("privatekey"))
        }
    }

    @Test func commonNameStaysWithin64Characters() {
        let long = String(repeating: "h", count: 100)
        let name = CertificateAuthority.commonName(hostName: long, date: Date(timeIntervalSince1970: 0))
        #expect(name.count == 64)
        #expect(name.hasSuffix(") 1970-01-01"))
    }
}
