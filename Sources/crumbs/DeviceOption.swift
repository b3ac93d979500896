import ArgumentParser
import CrumbsIngest
import CrumbsStore
import Foundation

/// `--device NAME` / `--client ADDR`: one device's events (`crumbs digest`, `graph`, `forget`).
struct DeviceOption: ParsableArguments {
    @Option(help: "Only this device: a name given with `crumbs devices name`, or an import's --device label.")
    var device: String?

    @Option(help: "Only this client address (or the value `crumbs devices` lists).")
    var client: String?

    func validate() throws {
        if device != nil, client != nil { throw ValidationError("--device and --client cannot be combined") }
    }

    /// How a report names the selection, nil when every device is selected.
    var label: String? {
        if let device { return "device \(device)" }
        if let client { return "client \(client)" }
        return nil
    }

    /// The stored client values selected, nil for every client. A name or address with no events
    /// is an error that says where the known ones are listed.
    func clients(store: EventStore, dataDirectory: String, config: ConfigFile) throws -> Set<String>? {
        guard let wanted = device ?? client else { return nil }
        do {
            if device != nil, let named = try store.client(named: wanted) { return [named] }
            for candidate in try Self.candidates(wanted, dataDirectory: dataDirectory, config: config)
            where try store.hasEvents(client: candidate) {
                return [candidate]
            }
        } catch let error as StoreError {
            throw CLIError("\(error)")
        }
        throw CLIError(
            device != nil
                ? "no device named \"\(wanted)\": `crumbs devices` lists the devices and their names"
                : "no events from client \(wanted): `crumbs devices` lists the clients")
    }

    /// What `text` may be stored as: itself, or its keyed pseudonym (`clients = pseudonyms`,
    /// now or when the events were recorded).
    static func candidates(_ text: String, dataDirectory: String, config: ConfigFile) throws -> [String] {
        var values = [text]
        let secretPath = dataDirectory + "/" + InstallSecret.fileName
        if FileManager.default.fileExists(atPath: secretPath) {
            let secret = try InstallSecret.load(dataDirectory: dataDirectory)
            let pseudonyms = StoragePolicy(
                record: .full, clients: .pseudonyms, hasher: CookieHasher(secret: secret), siteResolver: nil)
            values.append(pseudonyms.storedClient(text))
        }
        return values
    }
}
