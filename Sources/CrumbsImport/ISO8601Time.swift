import Foundation

/// Reads HAR's `startedDateTime` as exporters write it: `2024-03-01T10:00:00Z`, with a fraction
/// of any length (Fiddler writes seven digits), with `+01:00`, `+0100` or no zone at all (read as
/// UTC, and said so), with a space instead of the `T`. Hand-written because `ISO8601DateFormatter`
/// takes one shape per configuration and costs microseconds per call on a path run per entry.
enum ISO8601Time {
    struct Parsed {
        var date: Date
        /// The text named no zone; the time was read as UTC.
        var zoneless: Bool
    }

    static func parse(_ text: String) -> Parsed? {
        var text = text
        return text.withUTF8 { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Parsed? {
        var index = 0
        func number(_ digits: Int) -> Int? {
            guard index + digits <= bytes.count else { return nil }
            var value = 0
            for _ in 0..<digits {
                let byte = bytes[index]
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                value = value * 10 + Int(byte - 0x30)
                index += 1
            }
            return value
        }
        func skip(_ expected: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == expected else { return false }
            index += 1
            return true
        }
        guard let year = number(4), skip(0x2D), let month = number(2), skip(0x2D), let day = number(2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "T") || bytes[index] == 0x20 else { return nil }
        index += 1
        guard let hour = number(2), skip(0x3A), let minute = number(2), skip(0x3A), let second = number(2),
            hour < 24, minute < 60, second <= 60
        else { return nil }
        var fraction = 0.0
        if skip(UInt8(ascii: ".")) || skip(UInt8(ascii: ",")) {
            var scale = 0.1
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                fraction += Double(bytes[index] - 0x30) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        var offset = 0
        var zoneless = false
        if index == bytes.count {
            zoneless = true
        } else if skip(UInt8(ascii: "Z")) || skip(UInt8(ascii: "z")) {
            offset = 0
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign = bytes[index] == UInt8(ascii: "+") ? 1 : -1
            index += 1
            guard let hours = number(2) else { return nil }
            _ = skip(0x3A)
            let minutes = index < bytes.count ? number(2) : 0
            guard let minutes, hours < 24, minutes < 60 else { return nil }
            offset = sign * (hours * 3600 + minutes * 60)
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Parsed(date: Date(timeIntervalSince1970: Double(seconds) + fraction), zoneless: zoneless)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
