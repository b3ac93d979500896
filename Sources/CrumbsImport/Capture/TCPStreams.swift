import Foundation

/// What a TCP stream gave: a ClientHello or an HTTP head, with the direction it travelled in.
struct TCPMessage {
    enum Content {
        case clientHello(TLSClientHello)
        case http(HTTPHead)
    }

    var direction: TCPStreams.DirectionKey
    var content: Content
    var time: Date
}

/// Bounded TCP reassembly, one direction at a time: segments are put in sequence order
/// (retransmissions and overlaps trimmed, out-of-order segments held), and the bytes are read only
/// as far as Crumbs needs — a ClientHello over any number of segments and records, or HTTP/1.x
/// heads (bodies skipped by their length). Everything else on a stream is passed over unread.
///
/// Memory is capped per direction (`maximumPerDirection`) and in total (`maximumTotal`); what the
/// caps cut is counted, never silently lost.
struct TCPStreams {
    struct Endpoint: Hashable, Sendable {
        var address: IPAddress
        var port: Int
    }

    struct DirectionKey: Hashable, Sendable {
        var from: Endpoint
        var to: Endpoint
        var reversed: DirectionKey { DirectionKey(from: to, to: from) }
    }

    private enum Mode {
        /// Nothing read yet: the first bytes tell TLS from HTTP.
        case detect
        case tls
        case http
        /// The stream lost its place (a body of unknown length, a gap): read on at the next
        /// segment that starts an HTTP head.
        case resync
        /// Not a protocol Crumbs reads, or already read: only the sequence is followed.
        case done
    }

    /// A class: the table's entry is changed in place, with one hash lookup per segment.
    private final class Direction {
        var next: UInt32?
        /// The SYN was not seen: bytes that start nothing known may be mid-message.
        var midStream = false
        var held: [(sequence: UInt32, bytes: ArraySlice<UInt8>)] = []
        var heldBytes = 0
        var buffer: [UInt8] = []
        var mode = Mode.detect
        /// Body bytes still to pass over.
        var skip = 0
        /// Methods of requests sent the other way, oldest first: a response to HEAD has no body.
        var awaitedMethods: [String] = []
        var lastSeen: Date
        var buffered: Int { heldBytes + buffer.count }

        init(lastSeen: Date) {
            self.lastSeen = lastSeen
        }
    }

    let maximumPerDirection: Int
    let maximumTotal: Int
    let maximumDirections: Int
    private var directions: [DirectionKey: Direction] = [:]
    private var total = 0
    private(set) var counters = TCPCounters()

    init(maximumPerDirection: Int = 65_536, maximumTotal: Int = 64 << 20, maximumDirections: Int = 262_144) {
        self.maximumPerDirection = maximumPerDirection
        self.maximumTotal = maximumTotal
        self.maximumDirections = maximumDirections
    }

    /// Adds one segment; returns what it completed, in stream order.
    mutating func add(_ segment: DecodedPacket, at time: Date, into messages: inout [TCPMessage]) {
        guard let sequence = segment.sequence else { return }
        let key = DirectionKey(
            from: Endpoint(address: segment.source, port: segment.sourcePort),
            to: Endpoint(address: segment.destination, port: segment.destinationPort))
        let syn = segment.tcpFlags & 0x02 != 0
        let closing = segment.tcpFlags & 0x05 != 0
        var found = directions[key]
        // A SYN with a new sequence number: a new connection between the same ports.
        if syn, let existing = found, existing.next != sequence &+ 1 {
            release(key)
            found = nil
        }
        let direction: Direction
        if let found {
            direction = found
        } else {
            if segment.payload.isEmpty && !syn { return }
            if directions.count >= maximumDirections { evict(keeping: key, now: time) }
            direction = Direction(lastSeen: time)
            directions[key] = direction
        }
        total -= direction.buffered
        direction.lastSeen = time
        if syn {
            direction.next = sequence &+ 1
        } else if direction.next == nil {
            // The capture began mid-stream: its first bytes may start a hello or a head (a
            // filtered excerpt) or be the middle of something else.
            direction.next = sequence
            direction.midStream = true
        }
        var payload = segment.payload
        var start = sequence &+ (syn ? 1 : 0)
        if !payload.isEmpty, let next = direction.next {
            let offset = Int32(bitPattern: start &- next)
            if offset < 0 {
                let seen = Int(-Int64(offset))
                if seen >= payload.count {
                    counters.retransmissions += 1
                    payload = []
                } else {
                    counters.overlaps += 1
                    payload = payload.dropFirst(seen)
                    start = next
                }
            }
            if !payload.isEmpty {
                if start == next {
                    deliver(payload, to: direction, key: key, time: time, into: &messages)
                    drainHeld(direction, key: key, time: time, into: &messages)
                } else {
                    hold(payload, at: start, in: direction, key: key, time: time, into: &messages)
                }
            }
        }
        if closing {
            // Whatever a closing stream still holds will never complete.
            if direction.mode == .tls || (direction.mode == .http && !direction.buffer.isEmpty) {
                counters.unfinished += 1
            }
            directions[key] = nil
            return
        }
        total += direction.buffered
        if total > maximumTotal { evict(keeping: key, now: time) }
    }

    /// Counts what is still waiting when the capture ends.
    mutating func finish() {
        for direction in directions.values
        where direction.mode == .tls || (direction.mode == .http && !direction.buffer.isEmpty)
            || !direction.held.isEmpty
        {
            counters.unfinished += 1
        }
        directions.removeAll()
        total = 0
    }

    /// Forgets directions idle since before `cutoff` (a long live capture).
    mutating func expire(before cutoff: Date) {
        for (key, direction) in directions where direction.lastSeen < cutoff {
            total -= direction.buffered
            directions[key] = nil
        }
    }

    // MARK: - Ordering

    private mutating func hold(
        _ payload: ArraySlice<UInt8>, at sequence: UInt32, in direction: Direction, key: DirectionKey,
        time: Date, into messages: inout [TCPMessage]
    ) {
        guard direction.mode != .done else {
            // Nothing to read: skip straight past the gap.
            direction.next = sequence &+ UInt32(payload.count)
            return
        }
        counters.outOfOrder += 1
        direction.held.append((sequence, payload))
        direction.heldBytes += payload.count
        if direction.buffered > maximumPerDirection {
            // The missing segment is not coming (the capture lost it): read on after the gap.
            counters.gapsSkipped += 1
            direction.held.sort { Int32(bitPattern: $0.sequence &- $1.sequence) < 0 }
            direction.next = direction.held[0].sequence
            direction.buffer.removeAll()
            direction.skip = 0
            direction.mode = direction.mode == .tls ? .done : .resync
            drainHeld(direction, key: key, time: time, into: &messages)
        }
    }

    private mutating func drainHeld(
        _ direction: Direction, key: DirectionKey, time: Date, into messages: inout [TCPMessage]
    ) {
        while !direction.held.isEmpty, let next = direction.next {
            guard
                let index = direction.held.firstIndex(where: {
                    Int32(bitPattern: $0.sequence &- next) <= 0
                })
            else { return }
            let piece = direction.held.remove(at: index)
            direction.heldBytes -= piece.bytes.count
            let seen = Int(Int32(bitPattern: next &- piece.sequence))
            if seen < piece.bytes.count {
                deliver(piece.bytes.dropFirst(seen), to: direction, key: key, time: time, into: &messages)
            }
        }
    }

    // MARK: - Reading

    private mutating func deliver(
        _ bytes: ArraySlice<UInt8>, to direction: Direction, key: DirectionKey, time: Date,
        into messages: inout [TCPMessage]
    ) {
        direction.next = direction.next.map { $0 &+ UInt32(bytes.count) }
        var bytes = bytes
        if direction.skip > 0 {
            let passed = min(direction.skip, bytes.count)
            direction.skip -= passed
            bytes = bytes.dropFirst(passed)
        }
        guard !bytes.isEmpty else { return }
        switch direction.mode {
        case .done: return
        case .resync:
            // A segment that starts a head puts the stream back on track.
            guard HTTPHead.startsMessage(bytes) else { return }
            direction.mode = .http
        case .detect, .tls, .http: break
        }
        direction.buffer += bytes
        read(direction, key: key, time: time, into: &messages)
    }

    private mutating func read(
        _ direction: Direction, key: DirectionKey, time: Date, into messages: inout [TCPMessage]
    ) {
        if direction.mode == .detect {
            guard let first = direction.buffer.first else { return }
            if first == 22 {
                direction.mode = .tls
            } else if HTTPHead.startsMessage(direction.buffer[...]) {
                direction.mode = .http
            } else if direction.buffer.count < 8, HTTPHead.parse(direction.buffer[...]) == .incomplete {
                return
            } else {
                direction.mode = direction.midStream ? .resync : .done
            }
        }
        switch direction.mode {
        case .tls: readHello(direction, key: key, time: time, into: &messages)
        case .http: readHeads(direction, key: key, time: time, into: &messages)
        default: break
        }
        if direction.mode == .done || direction.mode == .resync { direction.buffer = [] }
    }

    private mutating func readHello(
        _ direction: Direction, key: DirectionKey, time: Date, into messages: inout [TCPMessage]
    ) {
        switch TLSClientHello.parse(direction.buffer[...]) {
        case .hello(let hello):
            messages.append(TCPMessage(direction: key, content: .clientHello(hello), time: time))
            direction.mode = .done
        case .incomplete:
            if direction.buffer.count > maximumPerDirection {
                counters.cut += 1
                direction.mode = .done
            }
        case .notAClientHello:
            direction.mode = .done
        }
    }

    private mutating func readHeads(
        _ direction: Direction, key: DirectionKey, time: Date, into messages: inout [TCPMessage]
    ) {
        var consumed = 0
        defer { direction.buffer.removeFirst(min(consumed, direction.buffer.count)) }
        while consumed < direction.buffer.count {
            if direction.skip > 0 {
                let passed = min(direction.skip, direction.buffer.count - consumed)
                direction.skip -= passed
                consumed += passed
                continue
            }
            switch HTTPHead.parse(direction.buffer[consumed...]) {
            case .head(let head):
                consumed += head.length
                messages.append(TCPMessage(direction: key, content: .http(head), time: time))
                var bodyLength = head.bodyLength
                switch head.start {
                case .request(let method, _):
                    noteAwaited(method: method, on: key.reversed, time: time)
                case .response(let status):
                    if status >= 200 {
                        let method = direction.awaitedMethods.isEmpty ? nil : direction.awaitedMethods.removeFirst()
                        if method == "HEAD" { bodyLength = 0 }
                    }
                }
                guard let bodyLength else {
                    direction.mode = .resync
                    return
                }
                direction.skip = bodyLength
            case .incomplete:
                if direction.buffer.count - consumed > maximumPerDirection {
                    counters.cut += 1
                    direction.mode = .resync
                }
                return
            case .notHTTP:
                direction.mode = .resync
                return
            }
        }
    }

    /// Tells the other direction that a response to `method` is coming.
    private mutating func noteAwaited(method: String, on key: DirectionKey, time: Date) {
        if directions[key] == nil { directions[key] = Direction(lastSeen: time) }
        if directions[key]!.awaitedMethods.count < 64 { directions[key]!.awaitedMethods.append(method) }
    }

    // MARK: - Caps

    private mutating func release(_ key: DirectionKey) {
        if let old = directions.removeValue(forKey: key) { total -= old.buffered }
    }

    /// Makes room: drops the directions idle longest (a quarter of them, or until the buffered
    /// bytes are below three quarters of the cap), never `keeping`.
    private mutating func evict(keeping: DirectionKey, now: Date) {
        let byAge = directions.sorted { $0.value.lastSeen < $1.value.lastSeen }
        var dropped = 0
        for (key, direction) in byAge where key != keeping {
            let overBytes = total > maximumTotal * 3 / 4
            let overCount = directions.count >= maximumDirections * 3 / 4
            guard overBytes || overCount else { break }
            if overBytes && direction.buffered == 0 && !overCount { continue }
            total -= direction.buffered
            if direction.buffered > 0 { counters.cut += 1 }
            directions[key] = nil
            dropped += 1
        }
        counters.evicted += dropped
    }
}
