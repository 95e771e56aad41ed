import HeadroomCore

/// The parts of a unified pause message after `Pause `: a name, parenthesised groups, the heap
/// change and the duration, as in `Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 3.456ms`.
///
/// Parts are byte ranges of the line: a pause line is read without building strings, except
/// for the one cause an event keeps.
package struct PauseLineParts {
    var name: Range<Int>
    /// How many parenthesised groups (up to `maximumGroups`) `group(_:)` holds.
    var groupCount = 0
    var heap: OccupancyChange?
    var durationMs: Double?
    private var groupStorage: (Range<Int>, Range<Int>, Range<Int>, Range<Int>) = (0..<0, 0..<0, 0..<0, 0..<0)
    static let maximumGroups = 4

    init(name: Range<Int>) { self.name = name }

    func group(_ index: Int) -> Range<Int> {
        switch index {
        case 0: groupStorage.0
        case 1: groupStorage.1
        case 2: groupStorage.2
        default: groupStorage.3
        }
    }

    private mutating func appendGroup(_ range: Range<Int>) {
        switch groupCount {
        case 0: groupStorage.0 = range
        case 1: groupStorage.1 = range
        case 2: groupStorage.2 = range
        case 3: groupStorage.3 = range
        default: return
        }
        groupCount += 1
    }

    static func parse(_ cursor: inout ByteCursor) -> PauseLineParts? {
        let line = cursor.bytes
        let nameStart = cursor.position
        var nameEnd = nameStart
        // Words up to the first group or figure.
        while !cursor.isAtEnd {
            guard let byte = cursor.peek(), byte != UInt8(ascii: "("), !(byte >= 48 && byte <= 57) else { break }
            while let inner = cursor.peek(), inner != UInt8(ascii: " "), inner != UInt8(ascii: ",") { cursor.position += 1 }
            nameEnd = cursor.position
            if cursor.peek() == UInt8(ascii: ",") { break }
            cursor.skipSpaces()
        }
        guard nameEnd > nameStart else { return nil }
        var parts = PauseLineParts(name: nameStart..<nameEnd)
        while cursor.peek() == UInt8(ascii: "(") {
            guard let close = closingParenthesis(in: line, openedBefore: cursor.position + 1) else { break }
            parts.appendGroup((cursor.position + 1)..<close)
            cursor.position = close + 1
            cursor.skipSpaces()
        }
        // The JDK 8 Shenandoah backport separates figures with commas: `(…), 1613M->1361M(1636M), 0.092 ms`.
        if cursor.skip(",") { cursor.skipSpaces() }
        let beforeFigures = cursor.position
        if let change = GCLogParser.parseSizeChange(&cursor) {
            parts.heap = change
            if cursor.skip(",") {}
            cursor.skipSpaces()
        } else {
            cursor.position = beforeFigures
        }
        parts.durationMs = cursor.parseDurationMs()
        return parts
    }

    /// Index of the `)` closing a group whose `(` stands just before `start`, allowing nesting
    /// as in `(System.gc())`.
    static func closingParenthesis(in line: UnsafeBufferPointer<UInt8>, openedBefore start: Int) -> Int? {
        var depth = 1
        var index = start
        while index < line.count {
            switch line[index] {
            case UInt8(ascii: "("): depth += 1
            case UInt8(ascii: ")"):
                depth -= 1
                if depth == 0 { return index }
            default: break
            }
            index += 1
        }
        return nil
    }
}

package extension UnsafeBufferPointer<UInt8> {
    /// Whether the bytes in `range` are exactly `literal`.
    func bytes(in range: Range<Int>, equal literal: StaticString) -> Bool {
        guard range.count == literal.utf8CodeUnitCount else { return false }
        return ByteCursor(self, position: range.lowerBound).hasPrefix(literal)
    }

    /// Whether the bytes in `range` start with `literal`.
    func bytes(in range: Range<Int>, startWith literal: StaticString) -> Bool {
        guard range.count >= literal.utf8CodeUnitCount else { return false }
        return ByteCursor(self, position: range.lowerBound).hasPrefix(literal)
    }
}
