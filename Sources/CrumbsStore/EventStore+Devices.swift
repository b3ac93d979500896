import CrumbsModel
import Foundation
import GRDB

/// A client seen in the store: an address, a keyed pseudonym, or an import's device label.
public struct DeviceSummary: Sendable, Equatable {
    /// The value stored in each event (what `--client` and `crumbs devices name` take).
    public var client: String
    public var name: String?
    public var firstSeen: Date
    public var lastSeen: Date
    public var requests: Int
    /// Distinct first-party sites known with high or medium confidence.
    public var sites: Int
    /// Events Crumbs decrypted for this client: proof that it trusts the local CA.
    public var decrypted: Int
    public var sources: [RequestEvent.Source]
}

extension EventStore {
    /// Every client with events, and every named one, busiest first.
    public func devices() throws -> [DeviceSummary] {
        do {
            return try writer.read { db in
                var summaries: [String: DeviceSummary] = [:]
                let rows = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT \(Self.party("e.client")), MIN(e.time), MAX(e.time), COUNT(*),
                          COUNT(DISTINCT CASE WHEN c.confidence >= \(StoredCode.code(.medium)) THEN c.first_party_site END),
                          SUM(e.source = \(StoredCode.code(.intercepted))), group_concat(DISTINCT e.source)
                        FROM event e LEFT JOIN classification c ON c.event_id = e.id GROUP BY e.client
                        """)
                while let row = try rows.next() {
                    let client: String = row[0]
                    let sources = ((row[6] as String?) ?? "").split(separator: ",")
                        .compactMap { Int($0).flatMap { try? StoredCode.decode($0, in: StoredCode.sources, "source") } }
                        .sorted { $0.rawValue < $1.rawValue }
                    summaries[client] = DeviceSummary(
                        client: client, name: nil, firstSeen: StoredCode.date(milliseconds: row[1]),
                        lastSeen: StoredCode.date(milliseconds: row[2]), requests: row[3], sites: row[4],
                        decrypted: row[5] ?? 0, sources: sources)
                }
                for row in try Row.fetchAll(db, sql: "SELECT client, name, named_at FROM device") {
                    let client: String = row[0]
                    if summaries[client] == nil {
                        let named = Date(timeIntervalSince1970: row[2])
                        summaries[client] = DeviceSummary(
                            client: client, name: nil, firstSeen: named, lastSeen: named, requests: 0, sites: 0,
                            decrypted: 0, sources: [])
                    }
                    summaries[client]?.name = row[1]
                }
                return summaries.values.sorted { ($0.requests, $1.client) > ($1.requests, $0.client) }
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// Gives `client` a name (replacing its earlier one). Throws `DeviceNameError.taken` when
    /// another client already has it: names select devices, so they are unique (ignoring case).
    public func nameDevice(client: String, name: String, at now: Date = Date()) throws {
        do {
            try writer.write { db in
                if let owner = try String.fetchOne(
                    db, sql: "SELECT client FROM device WHERE name = ? COLLATE NOCASE", arguments: [name]),
                    owner != client
                {
                    throw DeviceNameError.taken(name: name, client: owner)
                }
                try db.execute(
                    sql: """
                        INSERT INTO device (client, name, named_at) VALUES (?, ?, ?)
                        ON CONFLICT (client) DO UPDATE SET name = excluded.name, named_at = excluded.named_at
                        """, arguments: [client, name, now.timeIntervalSince1970])
            }
        } catch let error as DeviceNameError {
            throw error
        } catch {
            throw StoreError(.write, path: path, underlying: error)
        }
    }

    /// The client named `name` (ignoring case), or nil.
    public func client(named name: String) throws -> String? {
        do {
            return try writer.read { db in
                try String.fetchOne(
                    db, sql: "SELECT client FROM device WHERE name = ? COLLATE NOCASE", arguments: [name])
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// The names given to clients, by client.
    public func deviceNames() throws -> [String: String] {
        do {
            return try writer.read { db in
                Dictionary(
                    try Row.fetchAll(db, sql: "SELECT client, name FROM device").map { ($0[0], $0[1]) },
                    uniquingKeysWith: { first, _ in first })
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// The clients with events in `since <= time < until` (through the time index).
    public func clients(since: Date, until: Date) throws -> [String] {
        do {
            return try writer.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT \(Self.party("client")) AS client_name FROM (
                          SELECT DISTINCT client FROM event WHERE time >= ? AND time < ?) ORDER BY client_name
                        """,
                    arguments: [StoredCode.milliseconds(since), StoredCode.milliseconds(until)])
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// Whether any event was recorded for `client`.
    public func hasEvents(client: String) throws -> Bool {
        do {
            return try writer.read { db in
                try Bool.fetchOne(
                    db,
                    sql: "SELECT EXISTS (SELECT 1 FROM event WHERE client = (SELECT id FROM party WHERE text = ?))",
                    arguments: [client]) ?? false
            }
        } catch {
            throw StoreError(.read, path: path, underlying: error)
        }
    }

    /// Removes the names of `clients` (after their events were forgotten).
    public func removeDeviceNames(clients: Set<String>) throws {
        do {
            try writer.write { db in
                for client in clients {
                    try db.execute(sql: "DELETE FROM device WHERE client = ?", arguments: [client])
                }
            }
        } catch {
            throw StoreError(.write, path: path, underlying: error)
        }
    }
}

/// A device name that cannot be given.
public enum DeviceNameError: Error, Sendable, Equatable, CustomStringConvertible {
    case taken(name: String, client: String)

    public var description: String {
        switch self {
        case .taken(let name, let client): "the name \"\(name)\" is already given to \(client)"
        }
    }
}
