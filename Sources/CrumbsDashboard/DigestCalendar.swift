import CrumbsModel
import CrumbsReports
import Foundation

/// The digests page's calendar: one month per table, weeks starting on the language's first
/// weekday (Monday in French, Sunday in English), each day linked to its digest when there is one.
enum DigestCalendar {
    /// Months that have a digest, newest first; `links` maps a day to its digest's address
    /// (nil: written in another format only).
    static func months(_ links: [Day: String?], _ c: Catalog) -> [[String: Any]] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.locale = c.language.locale
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let firstWeekday = c.language == .fr ? 2 : 1
        calendar.firstWeekday = firstWeekday
        let monthTitle = DateFormatter()
        monthTitle.locale = c.language.locale
        monthTitle.timeZone = calendar.timeZone
        monthTitle.setLocalizedDateFormatFromTemplate("LLLL yyyy")
        let months = Set(links.keys.map { Day(year: $0.year, month: $0.month, day: 1) }).sorted(by: >)
        let order = (0..<7).map { (firstWeekday - 1 + $0) % 7 }
        let weekdays = order.map {
            ["short": calendar.veryShortStandaloneWeekdaySymbols[$0], "long": calendar.standaloneWeekdaySymbols[$0]]
        }
        return months.map { first in
            let start = first.start(in: calendar.timeZone)
            let length = calendar.range(of: .day, in: .month, for: start)?.count ?? 31
            let lead = (calendar.component(.weekday, from: start) - firstWeekday + 7) % 7
            var cells: [[String: Any]] = Array(repeating: ["number": ""], count: lead)
            for number in 1...length {
                let day = Day(year: first.year, month: first.month, day: number)
                var cell: [String: Any] = ["number": String(number)]
                if let link = links[day], let link {
                    cell["href"] = link
                    cell["label"] = c.date(day)
                }
                cells.append(cell)
            }
            cells += Array(repeating: ["number": ""], count: (7 - cells.count % 7) % 7)
            let weeks = stride(from: 0, to: cells.count, by: 7).map { ["days": Array(cells[$0..<$0 + 7])] }
            return [
                "title": monthTitle.string(from: start).capitalized(with: c.language.locale), "weekdays": weekdays,
                "weeks": weeks,
            ]
        }
    }
}
