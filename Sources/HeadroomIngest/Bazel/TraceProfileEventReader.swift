import HeadroomCore

/// Receives what `TraceProfileEventReader` finds, in file order.
package protocol TraceProfileEventHandler {
    /// A scalar member of the top-level `otherData` object.
    mutating func otherData(key: String, value: TraceProfileEvent.Scalar)
    mutating func event(_ event: TraceProfileEvent)
    /// An element of the event array that is not an event object, or has a member of the wrong type.
    mutating func malformedEvent()
}

/// Walks the top level of a Chrome trace profile and hands each event over as a small value.
///
/// Accepts `{"otherData": {...}, "traceEvents": [...]}` with members in any order, and the bare
/// array form `[...]`. Only the event members the analysis reads are built; the rest is skipped.
package struct TraceProfileEventReader {
    /// How the walk ended.
    package struct Outcome {
        /// Whether the input held anything but white space.
        var sawInput = false
        /// `true` for a top-level object, `false` for a bare array, nil when neither began.
        var topLevelObject: Bool?
        /// Whether an event array was entered.
        var sawEventArray = false
        /// The input ended inside the document.
        package var truncated = false
        package var syntaxError: TraceProfileSyntaxError?
        var warnings: [String] = []
    }

    private var tokenizer: TraceJSONTokenizer
    private var key: [UInt8] = []
    private var value: [UInt8] = []
    private var event = TraceProfileEvent()

    package init(reader: ChunkReader, bufferSize: Int = 256 * 1024) {
        tokenizer = TraceJSONTokenizer(reader: reader, bufferSize: bufferSize)
        key.reserveCapacity(64)
        value.reserveCapacity(256)
        event.arguments.reserveCapacity(8)
    }

    /// Reads the whole input into `handler`; only a failure to read bytes is thrown.
    package mutating func walk<Handler: TraceProfileEventHandler>(into handler: inout Handler) throws(InputError) -> Outcome {
        var outcome = Outcome()
        do {
            try walkDocument(into: &handler, &outcome)
        } catch {
            switch error {
            case .endOfInput: outcome.truncated = true
            case .syntax(let problem): outcome.syntaxError = problem
            case .input(let inputError): throw inputError
            }
        }
        return outcome
    }

    private mutating func walkDocument<Handler: TraceProfileEventHandler>(
        into handler: inout Handler, _ outcome: inout Outcome
    ) throws(TraceJSONStop) {
        guard let first = try tokenizer.peekToken() else { return }
        outcome.sawInput = true
        switch first {
        case UInt8(ascii: "["):
            outcome.topLevelObject = false
            outcome.sawEventArray = true
            try readEventArray(into: &handler)
        case UInt8(ascii: "{"):
            outcome.topLevelObject = true
            tokenizer.consumePeeked()
            if try tokenizer.peekToken() == UInt8(ascii: "}") {
                tokenizer.consumePeeked()
            } else {
                repeat {
                    try readKey()
                    if matches(key, "traceEvents"), try tokenizer.peekToken() == UInt8(ascii: "[") {
                        outcome.sawEventArray = true
                        try readEventArray(into: &handler)
                    } else if matches(key, "otherData"), try tokenizer.peekToken() == UInt8(ascii: "{") {
                        try readOtherData(into: &handler)
                    } else {
                        try tokenizer.skipValue(depth: 1)
                    }
                } while try tokenizer.continues(closing: UInt8(ascii: "}"))
            }
        default:
            throw tokenizer.syntaxError("expected '{' or '[' at the start of a trace profile, found \(TraceJSONTokenizer.describe(first))")
        }
        if let trailing = try tokenizer.peekToken() {
            outcome.warnings.append(
                "ignored bytes after the end of the profile from byte \(tokenizer.offset) (line \(tokenizer.line)), starting with \(TraceJSONTokenizer.describe(trailing))"
            )
        }
    }

    /// Reads `"name":`, leaving the name's bytes in `key`.
    private mutating func readKey() throws(TraceJSONStop) {
        try tokenizer.expect(UInt8(ascii: "\""), "a member name")
        try tokenizer.readStringBody(into: &key)
        try tokenizer.expect(UInt8(ascii: ":"), "':'")
    }

    private mutating func readOtherData<Handler: TraceProfileEventHandler>(into handler: inout Handler) throws(TraceJSONStop) {
        var members: [(key: String, value: TraceProfileEvent.Scalar)] = []
        try readScalarMembers(depth: 2, into: &members)
        for member in members { handler.otherData(key: member.key, value: member.value) }
    }

    /// Reads an object's scalar members, skipping nested objects and arrays.
    private mutating func readScalarMembers(
        depth: Int, into members: inout [(key: String, value: TraceProfileEvent.Scalar)]
    ) throws(TraceJSONStop) {
        tokenizer.consumePeeked()
        if try tokenizer.peekToken() == UInt8(ascii: "}") {
            tokenizer.consumePeeked()
            return
        }
        repeat {
            try readKey()
            if let scalar = try readScalar(depth: depth) {
                members.append((String(decoding: key, as: UTF8.self), scalar))
            }
        } while try tokenizer.continues(closing: UInt8(ascii: "}"))
    }

    /// A scalar value, or nil after skipping an object or array.
    private mutating func readScalar(depth: Int) throws(TraceJSONStop) -> TraceProfileEvent.Scalar? {
        guard let byte = try tokenizer.peekToken() else { throw .endOfInput(byteOffset: tokenizer.offset, line: tokenizer.line) }
        switch byte {
        case UInt8(ascii: "\""):
            tokenizer.consumePeeked()
            try tokenizer.readStringBody(into: &value)
            return .string(String(decoding: value, as: UTF8.self))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try tokenizer.readNumber())
        case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
            return try tokenizer.readLiteral().map { .bool($0) } ?? .null
        default:
            try tokenizer.skipValue(depth: depth)
            return nil
        }
    }

    private mutating func readEventArray<Handler: TraceProfileEventHandler>(into handler: inout Handler) throws(TraceJSONStop) {
        tokenizer.consumePeeked()
        if try tokenizer.peekToken() == UInt8(ascii: "]") {
            tokenizer.consumePeeked()
            return
        }
        repeat {
            if try readEvent() {
                handler.event(event)
            } else {
                handler.malformedEvent()
            }
        } while try tokenizer.continues(closing: UInt8(ascii: "]"))
    }

    /// Reads one element of the event array into `event`; false when it is not a usable event.
    private mutating func readEvent() throws(TraceJSONStop) -> Bool {
        guard let first = try tokenizer.peekToken() else { throw .endOfInput(byteOffset: tokenizer.offset, line: tokenizer.line) }
        guard first == UInt8(ascii: "{") else {
            try tokenizer.skipValue(depth: 2)
            return false
        }
        tokenizer.consumePeeked()
        event.reset()
        if try tokenizer.peekToken() == UInt8(ascii: "}") {
            tokenizer.consumePeeked()
            return true
        }
        var wellFormed = true
        repeat {
            try readKey()
            switch key.count {
            case 2 where matches(key, "ph"):
                if let text = try readStringValue() { event.phase = text } else { wellFormed = false }
            case 2 where matches(key, "ts"):
                if let number = try readNumberValue() { event.timestamp = number } else { wellFormed = false }
            case 3 where matches(key, "cat"):
                if let text = try readStringValue() { event.category = text } else { wellFormed = false }
            case 3 where matches(key, "dur"):
                if let number = try readNumberValue() { event.duration = number } else { wellFormed = false }
            case 3 where matches(key, "pid"):
                if let number = try readNumberValue() { event.processID = Int(exactly: number) } else { wellFormed = false }
            case 3 where matches(key, "tid"):
                if let number = try readNumberValue() { event.threadID = Int(exactly: number) } else { wellFormed = false }
            case 4 where matches(key, "name"):
                if let text = try readStringValue() { event.name = text } else { wellFormed = false }
            case 4 where matches(key, "args"):
                if try tokenizer.peekToken() == UInt8(ascii: "{") {
                    // Moved out and back so the array stays uniquely referenced while it grows.
                    var arguments: [(key: String, value: TraceProfileEvent.Scalar)] = []
                    swap(&arguments, &event.arguments)
                    defer { swap(&arguments, &event.arguments) }
                    try readScalarMembers(depth: 4, into: &arguments)
                } else {
                    try tokenizer.skipValue(depth: 3)
                }
            default:
                try tokenizer.skipValue(depth: 3)
            }
        } while try tokenizer.continues(closing: UInt8(ascii: "}"))
        return wellFormed
    }

    /// A string member's value; nil (after skipping it) when the value is not a string.
    private mutating func readStringValue() throws(TraceJSONStop) -> String? {
        guard try tokenizer.peekToken() == UInt8(ascii: "\"") else {
            try tokenizer.skipValue(depth: 3)
            return nil
        }
        tokenizer.consumePeeked()
        try tokenizer.readStringBody(into: &value)
        return String(decoding: value, as: UTF8.self)
    }

    /// A number member's value; a string holding a number is accepted too.
    private mutating func readNumberValue() throws(TraceJSONStop) -> Double? {
        guard let byte = try tokenizer.peekToken() else { throw .endOfInput(byteOffset: tokenizer.offset, line: tokenizer.line) }
        switch byte {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try tokenizer.readNumber()
        case UInt8(ascii: "\""):
            tokenizer.consumePeeked()
            try tokenizer.readStringBody(into: &value)
            return value.withUnsafeBufferPointer { TraceJSONNumber.parse($0, allowSurroundingSpaces: true) }
        default:
            try tokenizer.skipValue(depth: 3)
            return nil
        }
    }

    @inline(__always) private func matches(_ bytes: [UInt8], _ literal: StaticString) -> Bool {
        let count = literal.utf8CodeUnitCount
        guard bytes.count == count else { return false }
        let text = literal.utf8Start
        for index in 0..<count where bytes[index] != text[index] { return false }
        return true
    }
}
