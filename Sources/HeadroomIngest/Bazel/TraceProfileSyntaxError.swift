import HeadroomCore

/// Where and why the JSON of a trace profile stopped making sense.
public struct TraceProfileSyntaxError: Error, Sendable, Codable, Equatable, CustomStringConvertible {
    /// Offset in the decoded (inflated) bytes, counted from 0.
    public var byteOffset: Int
    /// 1-based line of that offset; Bazel writes one event per line.
    public var line: Int
    public var reason: String

    public init(byteOffset: Int, line: Int, reason: String) {
        self.byteOffset = byteOffset
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line), byte \(byteOffset): \(reason)" }
}

/// Why the tokenizer stopped: the input ended, the bytes were not JSON, or reading failed.
package enum TraceJSONStop: Error {
    /// The input ended inside a value (a profile cut while it was written or copied).
    case endOfInput(byteOffset: Int, line: Int)
    case syntax(TraceProfileSyntaxError)
    case input(InputError)
}
