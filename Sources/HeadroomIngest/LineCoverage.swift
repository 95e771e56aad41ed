import HeadroomCore

/// How many input lines were read and understood, with a sample of the ones that were not.
public struct LineCoverage: Sendable, Codable, Equatable {
    /// An input line the parser did not understand.
    public struct Sample: Sendable, Codable, Equatable {
        public var location: SourceLocation
        public var text: String
    }

    public var linesRead = 0
    public var events = 0
    public var headers = 0
    public var details = 0
    public var otherSubsystems = 0
    public var blank = 0
    public var unrecognizedCount = 0
    /// Lines longer than the reader keeps; only their start was looked at.
    public var truncatedLines = 0
    /// Collections cut off by the end of the input (no closing figures): not counted as events.
    public var incompleteEvents = 0
    public var unrecognized: [Sample] = []

    public static let sampleLimit = 20
    public static let sampleLength = 200

    public init() {}

    enum CodingKeys: String, CodingKey {
        case linesRead, linesRecognized, recognizedFraction, events, headers, details, otherSubsystems, blank
        case unrecognizedCount, truncatedLines, incompleteEvents, unrecognized
    }

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        linesRead = try container.decode(Int.self, forKey: .linesRead)
        events = try container.decode(Int.self, forKey: .events)
        headers = try container.decode(Int.self, forKey: .headers)
        details = try container.decode(Int.self, forKey: .details)
        otherSubsystems = try container.decode(Int.self, forKey: .otherSubsystems)
        blank = try container.decode(Int.self, forKey: .blank)
        unrecognizedCount = try container.decode(Int.self, forKey: .unrecognizedCount)
        truncatedLines = try container.decodeIfPresent(Int.self, forKey: .truncatedLines) ?? 0
        incompleteEvents = try container.decodeIfPresent(Int.self, forKey: .incompleteEvents) ?? 0
        unrecognized = try container.decode([Sample].self, forKey: .unrecognized)
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(linesRead, forKey: .linesRead)
        try container.encode(linesRecognized, forKey: .linesRecognized)
        try container.encode(recognizedFraction, forKey: .recognizedFraction)
        try container.encode(events, forKey: .events)
        try container.encode(headers, forKey: .headers)
        try container.encode(details, forKey: .details)
        try container.encode(otherSubsystems, forKey: .otherSubsystems)
        try container.encode(blank, forKey: .blank)
        try container.encode(unrecognizedCount, forKey: .unrecognizedCount)
        try container.encode(truncatedLines, forKey: .truncatedLines)
        try container.encode(incompleteEvents, forKey: .incompleteEvents)
        try container.encode(unrecognized, forKey: .unrecognized)
    }

    /// Lines the parser classified (everything but the unrecognised ones).
    public var linesRecognized: Int { linesRead - unrecognizedCount }

    /// Recognised share of the non-blank lines, 1 for an empty input.
    public var recognizedFraction: Double {
        let meaningful = linesRead - blank
        return meaningful == 0 ? 1 : Double(meaningful - unrecognizedCount) / Double(meaningful)
    }

    mutating func count(_ lineClass: LineClass, line: Line, file: String) {
        linesRead += 1
        if line.isTruncated { truncatedLines += 1 }
        switch lineClass {
        case .event: events += 1
        case .header: headers += 1
        case .detail: details += 1
        case .otherSubsystem: otherSubsystems += 1
        case .blank: blank += 1
        case .unrecognized:
            unrecognizedCount += 1
            if unrecognized.count < Self.sampleLimit {
                let shown = UnsafeBufferPointer(rebasing: line.bytes.prefix(Self.sampleLength))
                unrecognized.append(
                    Sample(location: SourceLocation(file: file, line: line.number), text: String(decoding: shown, as: UTF8.self)))
            }
        }
    }

    /// Adds the counts of another input's coverage.
    mutating func add(_ other: LineCoverage) {
        linesRead += other.linesRead
        events += other.events
        headers += other.headers
        details += other.details
        otherSubsystems += other.otherSubsystems
        blank += other.blank
        unrecognizedCount += other.unrecognizedCount
        truncatedLines += other.truncatedLines
        incompleteEvents += other.incompleteEvents
        for sample in other.unrecognized where unrecognized.count < Self.sampleLimit {
            unrecognized.append(sample)
        }
    }
}
