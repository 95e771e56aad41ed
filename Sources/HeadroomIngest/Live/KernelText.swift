import HeadroomCore

/// Checked parsing of the numbers and `key value` lines in kernel text files.
///
/// Kernel files are trusted in format but not in content (a damaged copy, a future kernel, a
/// value beyond `Int64`): every parse gives nil instead of trapping on overflow.
package enum KernelText {
    /// The threshold at and above which a v1 limit means "no limit": the kernel prints
    /// `PAGE_COUNTER_MAX` in bytes (9223372036854771712 with 4 KiB pages), not a round number.
    static let unlimitedThreshold: Int64 = 1 << 62

    /// A non-negative decimal integer; nil when empty, signed, not all digits, or beyond `Int64`.
    static func integer<Text: StringProtocol>(_ text: Text) -> Int64? {
        var value: Int64 = 0
        var digits = 0
        for byte in text.utf8 {
            guard byte >= 48, byte <= 57 else { return nil }
            let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times.addingReportingOverflow(Int64(byte - 48))
            if overflowA || overflowB { return nil }
            value = sum
            digits += 1
        }
        return digits > 0 ? value : nil
    }

    /// `value` × `factor`, or nil on overflow.
    static func scaled(_ value: Int64?, by factor: Int64) -> Int64? {
        guard let value else { return nil }
        let (product, overflow) = value.multipliedReportingOverflow(by: factor)
        return overflow ? nil : product
    }

    /// The first line of `text` without surrounding blanks.
    static func firstLine(_ text: String) -> Substring {
        // By bytes: cheaper than Characters, and "\r\n" ends a line either way.
        let end = text.utf8.firstIndex { $0 == 0x0A || $0 == 0x0D } ?? text.endIndex
        return trimmed(text[..<end])
    }

    /// A single integer file (`memory.current`); nil when empty, damaged or negative.
    static func integerFile(_ text: String?) -> Int64? {
        guard let text else { return nil }
        return integer(firstLine(text))
    }

    /// A cgroup v2 limit file: `max` (no limit) and anything unreadable are nil.
    static func limitFile(_ text: String?) -> Int64? {
        guard let text else { return nil }
        let line = firstLine(text)
        if line == "max" { return nil }
        return integer(line)
    }

    /// The lines of a flat keyed file (`memory.stat`, `memory.events`): `key value`, split on
    /// blanks. The first occurrence of a key wins; lines of another shape are skipped rather
    /// than guessed at.
    static func keyedValues(_ text: String) -> [Substring: Substring] {
        // By UTF-8 bytes: these files are read on every sample, and splitting Characters costs.
        var values: [Substring: Substring] = [:]
        let bytes = text.utf8
        var index = bytes.startIndex
        func isBlankByte(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D }
        while index < bytes.endIndex {
            let lineEnd = bytes[index...].firstIndex(of: 0x0A) ?? bytes.endIndex
            var fields: [Range<String.Index>] = []
            var cursor = index
            while cursor < lineEnd, fields.count <= 2 {
                while cursor < lineEnd, isBlankByte(bytes[cursor]) { cursor = bytes.index(after: cursor) }
                guard cursor < lineEnd else { break }
                let start = cursor
                while cursor < lineEnd, !isBlankByte(bytes[cursor]) { cursor = bytes.index(after: cursor) }
                fields.append(start..<cursor)
            }
            if fields.count == 2, values[text[fields[0]]] == nil { values[text[fields[0]]] = text[fields[1]] }
            index = lineEnd < bytes.endIndex ? bytes.index(after: lineEnd) : lineEnd
        }
        return values
    }

    /// `text` without leading and trailing spaces, tabs and line ends.
    static func trimmed(_ text: Substring) -> Substring {
        let bytes = text.utf8
        func isTrimmed(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A }
        guard let first = bytes.firstIndex(where: { !isTrimmed($0) }), let last = bytes.lastIndex(where: { !isTrimmed($0) }) else {
            return text[text.startIndex..<text.startIndex]
        }
        return text[first...last]
    }

    static func isBlank(_ character: Character) -> Bool {
        character == " " || character == "\t" || character == "\r"
    }
}
