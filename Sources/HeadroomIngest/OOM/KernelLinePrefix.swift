import HeadroomCore

/// Where the kernel's own text starts in one log line, and the time the line's prefix gives.
///
/// Recognised prefixes, each optional and tried in this order:
/// - `<6>` (a syslog priority, as `dmesg -r` and `/dev/kmsg` readers keep it);
/// - `/dev/kmsg` records: `6,1234,2357667097,-;` (the third field is microseconds since boot);
/// - `[ 2357.667097] ` (dmesg; the fraction is required so a task-table row `[  26081]` is not
///   taken for a stamp);
/// - `[Sat Nov 21 20:41:12 2026] ` (`dmesg -T`, local time);
/// - dmesg's `reltime` and `delta` stamps (`[Nov21 20:41] `, `[  +0.000123] `), kept as printed;
/// - `Nov 21 20:41:12 host kernel: ` (syslog, `journalctl -k`; local time, no year), optionally
///   with fractional seconds, then an optional `[ 123.456789] `;
/// - `2026-11-21T20:41:12.123456+00:00 host kernel: ` (RFC 3339, rsyslog and `journalctl -o short-iso`).
///
/// A syslog line whose tag is not `kernel:` comes from another program and is marked so. A line
/// with no prefix (a continuation of a multi-line record, which `dmesg` and `journalctl` indent)
/// starts after its indentation.
package struct KernelLinePrefix {
    var messageStart: Int
    var uptimeSeconds: Double?
    var epochSeconds: Double?
    /// The stamp as printed (the wall clock when the line has both it and an uptime).
    var printed: Range<Int>?
    var isKernel = true
    var hasPrefix = false

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, options: OOMReadOptions) -> KernelLinePrefix {
        var cursor = ByteCursor(bytes)
        var prefix = KernelLinePrefix(messageStart: 0)
        skipPriority(&cursor)
        if let first = cursor.peek() {
            if isDigit(first) {
                if kmsgRecord(&cursor, into: &prefix) || isoSyslog(&cursor, into: &prefix, options: options) {
                    prefix.messageStart = cursor.position
                    return prefix
                }
            } else if first == UInt8(ascii: "[") {
                if bracketedUptime(&cursor, into: &prefix) || bracketedWallClock(&cursor, into: &prefix, options: options)
                    || otherBracketedStamp(&cursor, into: &prefix)
                {
                    prefix.messageStart = cursor.position
                    return prefix
                }
            } else if first >= UInt8(ascii: "A") && first <= UInt8(ascii: "Z") {
                if classicSyslog(&cursor, into: &prefix, options: options) {
                    prefix.messageStart = cursor.position
                    return prefix
                }
            }
        }
        cursor.position = 0
        cursor.skipSpaces()
        prefix.messageStart = cursor.position
        return prefix
    }

    // MARK: - Forms

    private static func skipPriority(_ cursor: inout ByteCursor) {
        guard cursor.peek() == UInt8(ascii: "<") else { return }
        let start = cursor.position
        cursor.position += 1
        if cursor.parseInteger() != nil, cursor.skip(">") { return }
        cursor.position = start
    }

    /// `6,1234,2357667097,-;message`
    private static func kmsgRecord(_ cursor: inout ByteCursor, into prefix: inout KernelLinePrefix) -> Bool {
        let start = cursor.position
        guard cursor.parseInteger() != nil, cursor.skip(","), cursor.parseInteger() != nil, cursor.skip(","),
            let microseconds = cursor.parseInteger(), cursor.skip(","),
            let semicolon = cursor.index(ofByte: UInt8(ascii: ";")), semicolon - cursor.position < 16
        else {
            cursor.position = start
            return false
        }
        cursor.position = semicolon + 1
        prefix.uptimeSeconds = Double(microseconds) / 1_000_000
        prefix.printed = start..<semicolon
        prefix.hasPrefix = true
        return true
    }

    /// `[ 2357.667097] `
    private static func bracketedUptime(_ cursor: inout ByteCursor, into prefix: inout KernelLinePrefix) -> Bool {
        let start = cursor.position
        cursor.position += 1
        cursor.skipSpaces()
        let numberStart = cursor.position
        guard let seconds = cursor.parseDecimal(),
            cursor.index(ofByte: UInt8(ascii: "."), from: numberStart).map({ $0 < cursor.position }) == true,
            cursor.skip("]")
        else {
            cursor.position = start
            return false
        }
        prefix.uptimeSeconds = seconds
        prefix.printed = numberStart..<(cursor.position - 1)
        prefix.hasPrefix = true
        _ = cursor.skip(" ")
        return true
    }

    /// `[Sat Nov 21 20:41:12 2026] `
    private static func bracketedWallClock(_ cursor: inout ByteCursor, into prefix: inout KernelLinePrefix, options: OOMReadOptions) -> Bool {
        let start = cursor.position
        cursor.position += 1
        let stampStart = cursor.position
        guard cursor.remaining > 24, isLetter(cursor.peek(0)), isLetter(cursor.peek(1)), isLetter(cursor.peek(2)),
            cursor.peek(3) == UInt8(ascii: " ")
        else {
            cursor.position = start
            return false
        }
        cursor.position += 4
        guard let month = monthNumber(cursor), let clock = dayAndClock(&cursor, month: month) else {
            cursor.position = start
            return false
        }
        cursor.skipSpaces()
        // A year far outside any kernel's life is no stamp (and would overflow the day count).
        guard let year = cursor.parseInteger(), (1970...9999).contains(year), cursor.skip("]") else {
            cursor.position = start
            return false
        }
        prefix.printed = stampStart..<(cursor.position - 1)
        prefix.epochSeconds = epoch(year: year, month: month, clock: clock) - Double(options.utcOffsetSeconds)
        prefix.hasPrefix = true
        _ = cursor.skip(" ")
        return true
    }

    /// dmesg's other time formats, kept as printed only: `[Nov21 20:41] ` (reltime),
    /// `[  +0.000123] ` and `[<    0.000123>] ` (delta). A `.`, `:`, `+` or `<` inside tells a stamp
    /// from a task-table row (`[  26081]`) or header (`[  pid  ]`).
    private static func otherBracketedStamp(_ cursor: inout ByteCursor, into prefix: inout KernelLinePrefix) -> Bool {
        guard let close = cursor.index(ofByte: UInt8(ascii: "]")), close - cursor.position <= 32,
            close + 1 < cursor.bytes.count, cursor.bytes[close + 1] == UInt8(ascii: " ")
        else { return false }
        let inside = cursor.bytes[(cursor.position + 1)..<close]
        guard inside.contains(where: { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "<") })
        else { return false }
        prefix.printed = (cursor.position + 1)..<close
        prefix.hasPrefix = true
        cursor.position = close + 2
        return true
    }

    /// `Nov 21 20:41:12 host kernel: ` (also `Nov  1 ...` and fractional seconds).
    private static func classicSyslog(_ cursor: inout ByteCursor, into prefix: inout KernelLinePrefix, options: OOMReadOptions) -> Bool {
        let start = cursor.position
        guard let month = monthNumber(cursor) else { return false }
        guard let clock = dayAndClock(&cursor, month: month) else {
            cursor.position = start
            return false
        }
        let stampEnd = cursor.position
        guard hostAndTag(&cursor, into: &prefix) else {
            cursor.position = start
            return false
        }
        prefix.printed = start..<stampEnd
        if let reference = options.referenceEpochSeconds {
            let localReference = reference + Double(options.utcOffsetSeconds)
            let referenceYear = year(ofEpochSeconds: localReference)
            var seconds = epoch(year: referenceYear, month: month, clock: clock)
            // No year in the stamp: a date ahead of the reference time belongs to the year before.
            if seconds > localReference + 86_400 {
                seconds = epoch(year: referenceYear - 1, month: month, clock: clock)
            }
            prefix.epochSeconds = seconds - Double(options.utcOffsetSeconds)
        }
        trailingUptime(&cursor, into: &prefix)
        return true
    }

    /// `2026-11-21T20:41:12.123456+00:00 host kernel: `, or `dmesg --time-format iso`'s
    /// `2026-11-21T20:41:12,123456+00:00 message` (a comma before the fraction, no host or tag).
    private static func isoSyslog(_ cursor: inout ByteCursor, into prefix: inout KernelLinePrefix, options: OOMReadOptions) -> Bool {
        let start = cursor.position
        guard cursor.remaining > 20, cursor.peek(4) == UInt8(ascii: "-"), cursor.peek(10) == UInt8(ascii: "T"),
            let space = cursor.index(ofByte: UInt8(ascii: " "))
        else { return false }
        guard var seconds = WallClockParser.epochSeconds(in: cursor.bytes, range: start..<space) else { return false }
        let stamp = cursor.bytes[start..<space]
        let zone = cursor.bytes[(start + 11)..<space]
        if !zone.contains(UInt8(ascii: "+")) && !zone.contains(UInt8(ascii: "-")) && !zone.contains(UInt8(ascii: "Z")) {
            seconds -= Double(options.utcOffsetSeconds)
        }
        prefix.printed = start..<space
        prefix.epochSeconds = seconds
        prefix.hasPrefix = true
        cursor.position = space
        if stamp.contains(UInt8(ascii: ",")) || !hostAndTag(&cursor, into: &prefix) {
            // dmesg's own ISO form: the message follows the stamp.
            prefix.isKernel = true
            cursor.position = space + 1
            return true
        }
        trailingUptime(&cursor, into: &prefix)
        return true
    }

    // MARK: - Parts

    /// ` host tag: ` after a syslog stamp; a tag other than `kernel:` marks another program's line.
    /// Returns false (moving nothing) when the second word does not end in `:`, so is no tag.
    private static func hostAndTag(_ cursor: inout ByteCursor, into prefix: inout KernelLinePrefix) -> Bool {
        let start = cursor.position
        guard cursor.skip(" "), let hostEnd = cursor.index(ofByte: UInt8(ascii: " ")), hostEnd > cursor.position else {
            cursor.position = start
            return false
        }
        let tagStart = hostEnd + 1
        let tagEnd = cursor.index(ofByte: UInt8(ascii: " "), from: tagStart) ?? cursor.bytes.count
        guard tagEnd > tagStart, cursor.bytes[tagEnd - 1] == UInt8(ascii: ":") else {
            cursor.position = start
            return false
        }
        cursor.position = tagStart
        prefix.isKernel = cursor.hasPrefix("kernel:") && tagEnd - tagStart == 7
        cursor.position = min(tagEnd + 1, cursor.bytes.count)
        prefix.hasPrefix = true
        return true
    }

    /// The kernel stamp many syslog setups keep after `kernel: `.
    private static func trailingUptime(_ cursor: inout ByteCursor, into prefix: inout KernelLinePrefix) {
        guard prefix.isKernel, cursor.peek() == UInt8(ascii: "[") else { return }
        var inner = KernelLinePrefix(messageStart: 0)
        if bracketedUptime(&cursor, into: &inner) {
            prefix.uptimeSeconds = inner.uptimeSeconds
        }
    }

    /// `Nov 21 20:41:12` from a month name at the cursor: (day, seconds into the day).
    private static func dayAndClock(_ cursor: inout ByteCursor, month: Int64) -> (day: Int64, seconds: Double)? {
        cursor.position += 3
        guard cursor.skip(" ") else { return nil }
        cursor.skipSpaces()
        guard let day = cursor.parseInteger(), (1...31).contains(day), cursor.skip(" ") else { return nil }
        cursor.skipSpaces()
        guard let hour = cursor.parseInteger(), hour < 24, cursor.skip(":"),
            let minute = cursor.parseInteger(), minute < 60, cursor.skip(":"),
            let second = cursor.parseDecimal(), second < 61
        else { return nil }
        return (day, Double(hour * 3600 + minute * 60) + second)
    }

    private static func epoch(year: Int64, month: Int64, clock: (day: Int64, seconds: Double)) -> Double {
        Double(WallClockParser.daysFromCivil(year: year, month: month, day: clock.day) * 86_400) + clock.seconds
    }

    private static func year(ofEpochSeconds seconds: Double) -> Int64 {
        guard seconds.isFinite, abs(seconds) < 1e12 else { return 1970 }
        var year = Int64(1970 + seconds / 31_556_952)
        // Correct the estimate at year boundaries.
        while Double(WallClockParser.daysFromCivil(year: year, month: 1, day: 1) * 86_400) > seconds { year -= 1 }
        while Double(WallClockParser.daysFromCivil(year: year + 1, month: 1, day: 1) * 86_400) <= seconds { year += 1 }
        return year
    }

    private static let monthNames: [StaticString] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func monthNumber(_ cursor: ByteCursor) -> Int64? {
        for (index, name) in monthNames.enumerated() where cursor.hasPrefix(name) {
            return Int64(index + 1)
        }
        return nil
    }

    @inline(__always) private static func isDigit(_ byte: UInt8) -> Bool { byte &- 48 < 10 }

    @inline(__always) private static func isLetter(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }
}
