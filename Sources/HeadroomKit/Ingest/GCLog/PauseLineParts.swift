/// The parts of a unified pause message after `Pause `: a name, parenthesised groups, the heap
/// change and the duration, as in `Young (Normal) (G1 Evacuation Pause) 24M->4M(256M) 3.456ms`.
struct PauseLineParts {
    var name: String
    var groups: [String]
    var heap: OccupancyChange?
    var durationMs: Double?

    static func parse(_ cursor: inout ByteCursor) -> PauseLineParts? {
        let line = cursor.bytes
        let nameStart = cursor.position
        var nameEnd = nameStart
        // Words up to the first group or figure.
        while !cursor.isAtEnd {
            guard let byte = cursor.peek(), byte != UInt8(ascii: "("), !(byte >= 48 && byte <= 57) else { break }
            while let inner = cursor.peek(), inner != UInt8(ascii: " ") { cursor.position += 1 }
            nameEnd = cursor.position
            cursor.skipSpaces()
        }
        guard nameEnd > nameStart else { return nil }
        var groups: [String] = []
        while cursor.peek() == UInt8(ascii: "(") {
            guard let close = closingParenthesis(in: line, openedBefore: cursor.position + 1) else { break }
            groups.append(cursor.string(from: cursor.position + 1, to: close))
            cursor.position = close + 1
            cursor.skipSpaces()
        }
        var heap: OccupancyChange?
        let beforeFigures = cursor.position
        if let change = GCLogParser.parseSizeChange(&cursor) {
            heap = change
            cursor.skipSpaces()
        } else {
            cursor.position = beforeFigures
        }
        let duration = cursor.parseDurationMs()
        return PauseLineParts(name: cursor.string(from: nameStart, to: nameEnd), groups: groups, heap: heap, durationMs: duration)
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
