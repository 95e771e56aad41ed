import HeadroomCore

/// A streaming JSON tokenizer over the decoded bytes of a `ChunkReader`.
///
/// It holds one buffer of input and never a whole document: values the caller wants are read
/// into the caller's scratch bytes, everything else is skipped in place. Newlines are counted
/// only between tokens (valid JSON has none inside strings), so the line of an error is known
/// without a second pass. A struct, so the hot loops pay no dynamic exclusivity checks.
package struct TraceJSONTokenizer {
    /// Owns the input buffer, so the tokenizer can be a value.
    private final class Storage {
        let bytes: UnsafeMutablePointer<UInt8>
        init(capacity: Int) { bytes = .allocate(capacity: capacity) }
        deinit { bytes.deallocate() }
    }

    /// Deeper nesting than this is reported rather than followed (a recursion guard).
    static let maximumDepth = 256
    /// A number token longer than this is not a number a profile writes.
    static let maximumNumberLength = 64

    private let reader: ChunkReader
    private let storage: Storage
    private let buffer: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    private var position = 0
    private var end = 0
    /// Offset of `buffer[0]` in the whole input.
    private var bufferStart = 0
    private var exhausted = false
    private(set) var line = 1
    private var numberScratch: [UInt8] = []

    init(reader: ChunkReader, bufferSize: Int = 256 * 1024) {
        self.reader = reader
        capacity = max(16, bufferSize)
        storage = Storage(capacity: capacity)
        buffer = storage.bytes
        numberScratch.reserveCapacity(Self.maximumNumberLength)
    }

    /// Offset of the next unread byte in the whole input.
    var offset: Int { bufferStart + position }

    // MARK: - Input

    /// Whether a byte is available at `position`, reading the next chunk when needed.
    @inline(__always) private mutating func available() throws(TraceJSONStop) -> Bool {
        if position < end { return true }
        return try refill()
    }

    private mutating func refill() throws(TraceJSONStop) -> Bool {
        if exhausted { return false }
        bufferStart += end
        position = 0
        end = 0
        while end == 0 {
            do {
                end = try reader.read(into: UnsafeMutableRawBufferPointer(start: buffer, count: capacity))
            } catch {
                throw .input(error)
            }
            if end == 0 {
                exhausted = true
                return false
            }
        }
        return true
    }

    func syntaxError(_ reason: String) -> TraceJSONStop {
        .syntax(TraceProfileSyntaxError(byteOffset: offset, line: line, reason: reason))
    }

    private func endOfInput() -> TraceJSONStop {
        .endOfInput(byteOffset: offset, line: line)
    }

    // MARK: - Between tokens

    /// The next byte that is not white space, left unread; nil at the end of the input.
    mutating func peekToken() throws(TraceJSONStop) -> UInt8? {
        while true {
            guard try available() else { return nil }
            while position < end {
                let byte = buffer[position]
                if byte > 0x20 { return byte }
                switch byte {
                case 0x0a: line += 1
                case 0x20, 0x09, 0x0d: break
                default: return byte
                }
                position += 1
            }
        }
    }

    /// The next byte that is not white space, consumed; the input may not end here.
    mutating func nextToken() throws(TraceJSONStop) -> UInt8 {
        guard let byte = try peekToken() else { throw endOfInput() }
        position += 1
        return byte
    }

    /// Consumes the byte `peekToken` returned.
    @inline(__always) mutating func consumePeeked() { position += 1 }

    /// Consumes `expected` as the next token, or reports what was there instead.
    mutating func expect(_ expected: UInt8, _ what: StaticString) throws(TraceJSONStop) {
        let byte = try nextToken()
        guard byte == expected else {
            position -= 1
            throw syntaxError("expected \(what), found \(Self.describe(byte))")
        }
    }

    /// After a member or element: true when another follows (`,`), false at `closing`.
    mutating func continues(closing: UInt8) throws(TraceJSONStop) -> Bool {
        let byte = try nextToken()
        if byte == UInt8(ascii: ",") { return true }
        if byte == closing { return false }
        position -= 1
        throw syntaxError("expected ',' or '\(Character(Unicode.Scalar(closing)))', found \(Self.describe(byte))")
    }

    static func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7f { return "'\(Character(Unicode.Scalar(byte)))'" }
        return "byte 0x\(String(byte, radix: 16))"
    }

    // MARK: - Strings

    /// Reads a string whose opening quote was consumed, decoding escapes into UTF-8 `into`.
    mutating func readStringBody(into scratch: inout [UInt8]) throws(TraceJSONStop) {
        scratch.removeAll(keepingCapacity: true)
        while true {
            guard try available() else { throw endOfInput() }
            let runStart = position
            var index = position
            let stop = end
            while index < stop {
                let byte = buffer[index]
                if byte == 0x22 || byte == 0x5c || byte < 0x20 { break }
                index += 1
            }
            if index > runStart {
                scratch.append(contentsOf: UnsafeBufferPointer(start: buffer + runStart, count: index - runStart))
            }
            position = index
            guard index < stop else { continue }
            let byte = buffer[index]
            position += 1
            if byte == 0x22 { return }
            if byte < 0x20 {
                position -= 1
                throw syntaxError("control character \(Self.describe(byte)) inside a string")
            }
            try readEscape(into: &scratch)
        }
    }

    private mutating func readEscape(into scratch: inout [UInt8]) throws(TraceJSONStop) {
        let escaped = try nextRawByte()
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escaped)
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0c)
        case UInt8(ascii: "n"): scratch.append(0x0a)
        case UInt8(ascii: "r"): scratch.append(0x0d)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try readHexQuad()
            if scalar >= 0xD800 && scalar < 0xDC00 {
                // A high surrogate: a low one must follow as another \u escape to make a scalar.
                if try nextRawByte() == 0x5c, try nextRawByte() == UInt8(ascii: "u") {
                    let low = try readHexQuad()
                    if low >= 0xDC00 && low < 0xE000 {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        scalar = 0xFFFD
                    }
                } else {
                    throw syntaxError("unpaired surrogate in a \\u escape")
                }
            } else if scalar >= 0xDC00 && scalar < 0xE000 {
                scalar = 0xFFFD
            }
            let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
            scratch.append(contentsOf: UTF8.encode(character)!)
        default:
            position -= 1
            throw syntaxError("invalid escape \\\(Character(Unicode.Scalar(escaped)))")
        }
    }

    private mutating func nextRawByte() throws(TraceJSONStop) -> UInt8 {
        guard try available() else { throw endOfInput() }
        let byte = buffer[position]
        position += 1
        return byte
    }

    private mutating func readHexQuad() throws(TraceJSONStop) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try nextRawByte()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - 48
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - 87
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - 55
            default:
                position -= 1
                throw syntaxError("invalid hex digit \(Self.describe(byte)) in a \\u escape")
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Skips a string whose opening quote was consumed.
    mutating func skipStringBody() throws(TraceJSONStop) {
        while true {
            guard try available() else { throw endOfInput() }
            var index = position
            let stop = end
            while index < stop {
                let byte = buffer[index]
                if byte == 0x22 || byte == 0x5c || byte < 0x20 { break }
                index += 1
            }
            position = index
            guard index < stop else { continue }
            let byte = buffer[index]
            position += 1
            switch byte {
            case 0x22: return
            case 0x5c:
                // The escaped byte is never a quote that ends the string; \u digits are plain.
                _ = try nextRawByte()
            default:
                position -= 1
                throw syntaxError("control character \(Self.describe(byte)) inside a string")
            }
        }
    }

    // MARK: - Numbers and literals

    /// Reads a number whose first byte is next (left unread by `peekToken`).
    mutating func readNumber() throws(TraceJSONStop) -> Double {
        let start = offset
        let startLine = line
        // Fast path: the whole number lies in the buffer, so it is parsed in place.
        var index = position
        while index < end, Self.isNumberByte(buffer[index]) { index += 1 }
        if index < end {
            if let value = TraceJSONNumber.parse(UnsafeBufferPointer(start: buffer + position, count: index - position)) {
                position = index
                return value
            }
        }
        numberScratch.removeAll(keepingCapacity: true)
        while try available() {
            let byte = buffer[position]
            guard Self.isNumberByte(byte) else { break }
            numberScratch.append(byte)
            position += 1
            if numberScratch.count > Self.maximumNumberLength {
                throw .syntax(TraceProfileSyntaxError(byteOffset: start, line: startLine, reason: "number too long"))
            }
        }
        // Numbers here sit inside containers, so one that runs into the end was cut short.
        guard position < end else { throw endOfInput() }
        let value = numberScratch.withUnsafeBufferPointer { TraceJSONNumber.parse($0) }
        guard let value else {
            let text = String(decoding: numberScratch, as: UTF8.self)
            throw .syntax(TraceProfileSyntaxError(byteOffset: start, line: startLine, reason: "invalid number '\(text)'"))
        }
        return value
    }

    @inline(__always) static func isNumberByte(_ byte: UInt8) -> Bool {
        byte &- 48 < 10 || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: ".")
            || byte | 0x20 == UInt8(ascii: "e")
    }

    /// Reads `true`, `false` or `null` whose first byte is next; nil stands for null.
    mutating func readLiteral() throws(TraceJSONStop) -> Bool? {
        let first = try nextRawByte()
        let rest: StaticString
        switch first {
        case UInt8(ascii: "t"): rest = "rue"
        case UInt8(ascii: "f"): rest = "alse"
        case UInt8(ascii: "n"): rest = "ull"
        default:
            position -= 1
            throw syntaxError("unexpected \(Self.describe(first))")
        }
        let text = rest.utf8Start
        for index in 0..<rest.utf8CodeUnitCount {
            let byte = try nextRawByte()
            guard byte == text[index] else {
                position -= 1
                throw syntaxError("unexpected \(Self.describe(byte)) in a literal")
            }
        }
        switch first {
        case UInt8(ascii: "t"): return true
        case UInt8(ascii: "f"): return false
        default: return nil
        }
    }

    // MARK: - Skipping

    /// Skips one value of any kind, checking its syntax but building nothing.
    mutating func skipValue(depth: Int = 0) throws(TraceJSONStop) {
        guard depth < Self.maximumDepth else { throw syntaxError("nesting deeper than \(Self.maximumDepth)") }
        guard let byte = try peekToken() else { throw endOfInput() }
        switch byte {
        case UInt8(ascii: "\""):
            consumePeeked()
            try skipStringBody()
        case UInt8(ascii: "{"):
            consumePeeked()
            if try peekToken() == UInt8(ascii: "}") {
                consumePeeked()
                return
            }
            repeat {
                try expect(UInt8(ascii: "\""), "a member name")
                try skipStringBody()
                try expect(UInt8(ascii: ":"), "':'")
                try skipValue(depth: depth + 1)
            } while try continues(closing: UInt8(ascii: "}"))
        case UInt8(ascii: "["):
            consumePeeked()
            if try peekToken() == UInt8(ascii: "]") {
                consumePeeked()
                return
            }
            repeat {
                try skipValue(depth: depth + 1)
            } while try continues(closing: UInt8(ascii: "]"))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            _ = try readNumber()
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            _ = try readLiteral()
        default:
            throw syntaxError("unexpected \(Self.describe(byte))")
        }
    }
}
