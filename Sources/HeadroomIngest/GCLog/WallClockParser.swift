import HeadroomCore

/// Converts ISO-8601 stamps as the JVM prints them (`2023-01-31T10:00:00.123+0100`) to epoch seconds.
package enum WallClockParser {
    static func epochSeconds(in line: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Double? {
        var cursor = ByteCursor(line, position: range.lowerBound)
        guard let year = cursor.parseInteger(), cursor.skip("-"),
            let month = cursor.parseInteger(), cursor.skip("-"),
            let day = cursor.parseInteger(), cursor.skip("T"),
            let hour = cursor.parseInteger(), cursor.skip(":"),
            let minute = cursor.parseInteger(), cursor.skip(":")
        else { return nil }
        guard let second = cursor.parseDecimal() else { return nil }
        guard (1...12).contains(month), (1...31).contains(day), hour < 25, minute < 60, second < 61, year < 10_000 else { return nil }
        var offsetSeconds = 0.0
        if let sign = cursor.peek(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            cursor.position += 1
            let start = cursor.position
            guard let first = cursor.parseInteger() else { return nil }
            var hours = first
            var minutes: Int64 = 0
            if cursor.position - start == 4 {
                hours = first / 100
                minutes = first % 100
            } else if cursor.skip(":"), let parsed = cursor.parseInteger() {
                minutes = parsed
            }
            guard hours < 24, minutes < 60 else { return nil }
            offsetSeconds = Double(hours * 3600 + minutes * 60) * (sign == UInt8(ascii: "-") ? -1 : 1)
        }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Double(days * 86_400 + hour * 3600 + minute * 60) + second - offsetSeconds
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let shiftedYear = month <= 2 ? year - 1 : year
        let era = (shiftedYear >= 0 ? shiftedYear : shiftedYear - 399) / 400
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
