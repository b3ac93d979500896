import Foundation

/// The cookie-date algorithm of RFC 6265 §5.1.1: tolerant of the many formats servers send
/// (`Wed, 21 Oct 2015 07:28:00 GMT`, `Wed, 21-Oct-15 07:28:00 GMT`, `Sun Nov  6 08:49:37 1994`).
enum CookieDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    static func parse<S: StringProtocol>(_ text: S) -> Date? {
        var time: (Int, Int, Int)?
        var dayOfMonth: Int?
        var month: Int?
        var year: Int?
        for token in text.split(whereSeparator: isDelimiter) {
            if time == nil, let parsed = parseTime(token) {
                time = parsed
            } else if dayOfMonth == nil, let day = leadingNumber(token, minDigits: 1, maxDigits: 2) {
                dayOfMonth = day
            } else if month == nil, token.count >= 3,
                let index = months.firstIndex(of: token.prefix(3).lowercased())
            {
                month = index + 1
            } else if year == nil, let value = leadingNumber(token, minDigits: 2, maxDigits: 4) {
                year = value
            }
        }
        guard var year, let dayOfMonth, let month, let (hour, minute, second) = time else { return nil }
        if year >= 70 && year <= 99 { year += 1900 }
        if year >= 0 && year <= 69 { year += 2000 }
        guard year >= 1601, (1...31).contains(dayOfMonth), hour <= 23, minute <= 59, second <= 59 else {
            return nil
        }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        components.timeZone = TimeZone(identifier: "UTC")
        (components.year, components.month, components.day) = (year, month, dayOfMonth)
        (components.hour, components.minute, components.second) = (hour, minute, second)
        guard components.isValidDate, let date = components.date else { return nil }
        return date
    }

    private static func isDelimiter(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue else { return false }
        return ascii == 0x09 || (0x20...0x2F).contains(ascii) || (0x3B...0x40).contains(ascii)
            || (0x5B...0x60).contains(ascii) || (0x7B...0x7E).contains(ascii)
    }

    private static func parseTime<S: StringProtocol>(_ token: S) -> (Int, Int, Int)? {
        let fields = token.split(separator: ":", omittingEmptySubsequences: false)
        guard fields.count == 3 else { return nil }
        let numbers = fields.enumerated().compactMap { index, field in
            leadingNumber(field, minDigits: 1, maxDigits: 2, allowTrailing: index == 2)
        }
        guard numbers.count == 3 else { return nil }
        return (numbers[0], numbers[1], numbers[2])
    }

    /// Reads 1*n digits at the start of `token`; the rest must be non-digits (§5.1.1 grammar).
    private static func leadingNumber<S: StringProtocol>(
        _ token: S, minDigits: Int, maxDigits: Int, allowTrailing: Bool = true
    ) -> Int? {
        let digits = token.prefix(while: { $0.isASCII && $0.isNumber })
        guard digits.count >= minDigits, digits.count <= maxDigits else { return nil }
        if !allowTrailing && digits.count != token.count { return nil }
        return Int(digits)
    }
}
