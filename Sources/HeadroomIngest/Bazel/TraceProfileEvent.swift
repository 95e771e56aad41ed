import HeadroomCore

/// One event of a Chrome trace profile, with only the members the analysis reads.
///
/// Everything else in the event object (`cname`, `id`, `bp`, `out`, nested `args` values) is
/// skipped by the tokenizer without being built.
public struct TraceProfileEvent: Sendable, Equatable {
    /// A scalar member of `args`.
    public enum Scalar: Sendable, Equatable {
        case string(String)
        case number(Double)
        case bool(Bool)
        case null

        /// The value as a number: a JSON number, or a string holding one (Bazel up to 6.x
        /// writes counter values as strings, `"memory":"123.45"`).
        public var numericValue: Double? {
            switch self {
            case .number(let value): return value
            case .string(let text):
                var copy = text
                return copy.withUTF8 { TraceJSONNumber.parse($0, allowSurroundingSpaces: true) }
            case .bool, .null: return nil
            }
        }
    }

    /// `cat`.
    public var category: String?
    public var name: String?
    /// `ph`: `X` complete, `i`/`I` instant, `C` counter, `M` metadata, `B`/`E` begin/end…
    public var phase: String?
    /// `ts`, microseconds from the start of the command (negative before it, for `Launch Blaze`).
    public var timestamp: Double?
    /// `dur`, microseconds.
    public var duration: Double?
    public var processID: Int?
    public var threadID: Int?
    /// The scalar members of `args`, in file order.
    public var arguments: [(key: String, value: Scalar)]

    public init(
        category: String? = nil, name: String? = nil, phase: String? = nil, timestamp: Double? = nil,
        duration: Double? = nil, processID: Int? = nil, threadID: Int? = nil, arguments: [(key: String, value: Scalar)] = []
    ) {
        self.category = category
        self.name = name
        self.phase = phase
        self.timestamp = timestamp
        self.duration = duration
        self.processID = processID
        self.threadID = threadID
        self.arguments = arguments
    }

    /// The value of the `args` member named `key`.
    public func argument(_ key: String) -> Scalar? {
        arguments.first { $0.key == key }?.value
    }

    public static func == (lhs: TraceProfileEvent, rhs: TraceProfileEvent) -> Bool {
        lhs.category == rhs.category && lhs.name == rhs.name && lhs.phase == rhs.phase
            && lhs.timestamp == rhs.timestamp && lhs.duration == rhs.duration
            && lhs.processID == rhs.processID && lhs.threadID == rhs.threadID
            && lhs.arguments.map(\.key) == rhs.arguments.map(\.key)
            && lhs.arguments.map(\.value) == rhs.arguments.map(\.value)
    }

    /// Back to the state of a fresh event, keeping the `args` storage for the next one.
    mutating func reset() {
        category = nil
        name = nil
        phase = nil
        timestamp = nil
        duration = nil
        processID = nil
        threadID = nil
        arguments.removeAll(keepingCapacity: true)
    }
}
