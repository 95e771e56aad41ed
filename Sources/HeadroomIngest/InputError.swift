import HeadroomCore

/// Why an input could not be read, naming the input.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var reason: String
    /// The line the problem was met at, when it is known.
    public var line: Int?

    public init(path: String, reason: String, line: Int? = nil) {
        self.path = path
        self.reason = reason
        self.line = line
    }

    public var description: String {
        if let line { return "\(path):\(line): \(reason)" }
        return "\(path): \(reason)"
    }
}
