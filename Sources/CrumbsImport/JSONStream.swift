/// A pull parser over JSON bytes from a `ByteSource`, holding one chunk at a time: a HAR of any
/// size is read with bounded memory, each value decoded where it lies or skipped without being
/// copied (response bodies, post data, timings nobody reads).
///
/// Errors carry the 1-based line and column of the offending byte, counted only for the chunks
/// passed so far (newlines are counted once per chunk, not per byte read).
final class JSONStream {
    /// Where a container's elements stand: before the first one or after one.
    struct Container {
        fileprivate var first = true
    }

    let name: String
    private var source: any ByteSource
    private let storage: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var position = 0
    private var end = 0
    private var exhausted = false
    /// Line and column of `storage[0]`.
    private var lineBase = 1
    private var columnBase = 1
    /// Reused for strings and numbers that straddle two chunks, or hold escapes.
    var scratchBuffer: [UInt8] = []
    /// Bytes read from the source so far (for progress).
    private(set) var bytesRead = 0

    init(source: any ByteSource, name: String, chunkSize: Int = 1 << 16) {
        self.source = source
        self.name = name
        self.capacity = chunkSize
        self.storage = .allocate(capacity: chunkSize)
    }

    deinit {
        storage.deallocate()
    }

    // MARK: Bytes

    /// The next byte, not consumed; nil at the end of the input.
    @inline(__always)
    func peekByte() throws -> UInt8? {
        if position < end { return storage[position] }
        return try refill() ? storage[position] : nil
    }

    /// Replaces the (fully consumed) chunk with the next one.
    private func refill() throws -> Bool {
        guard !exhausted else { return false }
        advanceLineCount(over: end)
        position = 0
        end = 0
        let count = try source.read(into: UnsafeMutableRawBufferPointer(start: storage, count: capacity))
        bytesRead += count
        if count == 0 {
            exhausted = true
            return false
        }
        end = count
        return true
    }

    /// Moves the line and column of `storage[0]` past the first `count` bytes. Newlines are
    /// counted eight bytes at a time (a zero-byte test on the word XORed with 0x0A…): this runs
    /// over every byte of the file, a per-byte loop cost a few percent of an import.
    private func advanceLineCount(over count: Int) {
        var newlines = 0
        var lastNewline = -1
        var index = 0
        let raw = UnsafeRawPointer(storage)
        while index + 8 <= count {
            let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self) ^ 0x0A0A_0A0A_0A0A_0A0A
            let zeros = (word &- 0x0101_0101_0101_0101) & ~word & 0x8080_8080_8080_8080
            if zeros != 0 {
                for offset in 0..<8 where storage[index + offset] == 0x0A {
                    newlines += 1
                    lastNewline = index + offset
                }
            }
            index += 8
        }
        while index < count {
            if storage[index] == 0x0A {
                newlines += 1
                lastNewline = index
            }
            index += 1
        }
        if newlines > 0 {
            lineBase += newlines
            columnBase = count - lastNewline
        } else {
            columnBase += count
        }
    }

    /// The next byte that is not white space, not consumed.
    @inline(__always)
    func peekToken() throws -> UInt8? {
        while true {
            while position < end {
                let byte = storage[position]
                guard byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 else { return byte }
                position += 1
            }
            guard try refill() else { return nil }
        }
    }

    private func expect(_ expected: UInt8) throws {
        let byte = try peekToken()
        guard byte == expected else {
            throw error("expected '\(Character(Unicode.Scalar(expected)))' but found \(describe(byte))")
        }
        position += 1
    }

    /// An error at the current byte.
    func error(_ message: String) -> ImportError {
        var line = lineBase
        var column = columnBase
        for index in 0..<min(position, end) {
            if storage[index] == 0x0A {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return ImportError(file: name, .invalidJSON(message, line: line, column: column))
    }

    private func describe(_ byte: UInt8?) -> String {
        guard let byte else { return "the end of the file" }
        if byte >= 0x20, byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    // MARK: The chunk, for the string scanner

    var bufferEnd: Int { end }

    @inline(__always)
    func bufferByte(_ index: Int) -> UInt8 { storage[index] }

    func bufferAddress(_ index: Int) -> UnsafePointer<UInt8> { UnsafePointer(storage + index) }

    @inline(__always)
    func advance(to index: Int) { position = index }

    @inline(__always)
    func advance(by count: Int) { position += count }

    /// From the current byte to the next quote or backslash, or to the end of the chunk; the
    /// chunk is refilled first if it is used up.
    @inline(__always)
    func scanStringRun() throws -> (start: Int, stop: Int) {
        if position == end, try !refill() { throw error("unterminated string") }
        var index = position
        while index < end {
            let byte = storage[index]
            if byte == 0x22 || byte == 0x5C { break }
            index += 1
        }
        return (position, index)
    }

    // MARK: Containers

    /// Consumes `{`.
    func beginObject() throws -> Container {
        try expect(UInt8(ascii: "{"))
        return Container()
    }

    /// The next key of the object (its `:` consumed), or nil after its `}`.
    func nextKey(_ container: inout Container) throws -> String? {
        guard try nextElement(&container, closing: UInt8(ascii: "}")) else { return nil }
        guard try peekToken() == UInt8(ascii: "\"") else { throw error("expected a key in quotes") }
        let key = try readString()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// Consumes `[`.
    func beginArray() throws -> Container {
        try expect(UInt8(ascii: "["))
        return Container()
    }

    /// Whether another element follows (its `,` consumed); false after the array's `]`.
    func nextElement(_ container: inout Container) throws -> Bool {
        try nextElement(&container, closing: UInt8(ascii: "]"))
    }

    private func nextElement(_ container: inout Container, closing: UInt8) throws -> Bool {
        let byte = try peekToken()
        if byte == closing {
            position += 1
            return false
        }
        if container.first {
            container.first = false
            return true
        }
        guard byte == UInt8(ascii: ",") else {
            throw error("expected ',' or '\(Character(Unicode.Scalar(closing)))' but found \(describe(byte))")
        }
        position += 1
        return true
    }

    // MARK: Values

    /// A string, a number (as written) or nil for anything else, which is skipped.
    func readScalarText() throws -> String? {
        switch try peekToken() ?? 0 {
        case UInt8(ascii: "\""): return try readString()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try readNumberText()
        default:
            try skipValue()
            return nil
        }
    }

    /// A string; nil (the value skipped) when the value is not one.
    func readStringIfPresent() throws -> String? {
        guard try peekToken() == UInt8(ascii: "\"") else {
            try skipValue()
            return nil
        }
        return try readString()
    }

    /// A number; nil (the value skipped) when it is not one. Quoted numbers are read too: some
    /// exporters write sizes and times as strings.
    func readNumberIfPresent() throws -> Double? {
        switch try peekToken() ?? 0 {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return Double(try readNumberText())
        case UInt8(ascii: "\""): return Double(try readString())
        default:
            try skipValue()
            return nil
        }
    }

    /// true, false, or nil (the value skipped) for anything else.
    func readBoolIfPresent() throws -> Bool? {
        switch try peekToken() {
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return true
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return false
        default:
            try skipValue()
            return nil
        }
    }

    /// Whether the next value is `null` (not consumed).
    func nextIsNull() throws -> Bool {
        try peekToken() == UInt8(ascii: "n")
    }

    /// Skips one value of any kind, however deep, without decoding it.
    func skipValue() throws {
        var depth = 0
        repeat {
            guard let byte = try peekToken() else { throw error("unexpected end of the file") }
            switch byte {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                depth += 1
                position += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                guard depth > 0 else { throw error("unexpected \(describe(byte))") }
                depth -= 1
                position += 1
            case UInt8(ascii: ","), UInt8(ascii: ":"):
                guard depth > 0 else { throw error("unexpected \(describe(byte))") }
                position += 1
            case UInt8(ascii: "\""): try skipString()
            case UInt8(ascii: "t"): try expectLiteral("true")
            case UInt8(ascii: "f"): try expectLiteral("false")
            case UInt8(ascii: "n"): try expectLiteral("null")
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): _ = try readNumberText()
            default: throw error("unexpected \(describe(byte))")
            }
        } while depth > 0
    }

    private func expectLiteral(_ literal: StaticString) throws {
        for expected in UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount) {
            guard try peekByte() == expected else { throw error("invalid literal (expected \(literal))") }
            position += 1
        }
    }

    /// A number's characters as written (validated by the caller's conversion).
    private func readNumberText() throws -> String {
        scratchBuffer.removeAll(keepingCapacity: true)
        while let byte = try peekByte() {
            let isNumberByte =
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".") || byte | 0x20 == UInt8(ascii: "e")
            guard isNumberByte else { break }
            scratchBuffer.append(byte)
            position += 1
        }
        guard !scratchBuffer.isEmpty, scratchBuffer.count < 64 else { throw error("invalid number") }
        return String(decoding: scratchBuffer, as: UTF8.self)
    }
}
