/// A fact's value and where it came from (`gc.log:1234`, `record.json: bazel info max-heap-size`).
///
/// Literals make rule examples short: `$0.remoteExecution = true`, `$0.jobs = 200`,
/// `$0.maxHeap = .gib(14)`; their source reads `example`.
public struct Sourced<Value: Sendable & Codable & Equatable>: Sendable, Codable, Equatable {
    public var value: Value
    public var source: String

    public init(_ value: Value, source: String) {
        self.value = value
        self.source = source
    }
}

extension Sourced: ExpressibleByIntegerLiteral where Value: ExpressibleByIntegerLiteral, Value.IntegerLiteralType == Int {
    public init(integerLiteral value: Int) {
        self.init(Value(integerLiteral: value), source: "example")
    }
}

extension Sourced: ExpressibleByFloatLiteral where Value == Double {
    public init(floatLiteral value: Double) {
        self.init(value, source: "example")
    }
}

extension Sourced: ExpressibleByBooleanLiteral where Value == Bool {
    public init(booleanLiteral value: Bool) {
        self.init(value, source: "example")
    }
}

extension Sourced: ExpressibleByUnicodeScalarLiteral where Value == String {
    public init(unicodeScalarLiteral value: String) {
        self.init(value, source: "example")
    }
}

extension Sourced: ExpressibleByExtendedGraphemeClusterLiteral where Value == String {
    public init(extendedGraphemeClusterLiteral value: String) {
        self.init(value, source: "example")
    }
}

extension Sourced: ExpressibleByStringLiteral where Value == String {
    public init(stringLiteral value: String) {
        self.init(value, source: "example")
    }
}

extension Sourced where Value == Int64 {
    /// `n` MiB, for examples.
    public static func mib(_ n: Double) -> Sourced { Sourced(Int64(n * 1_048_576), source: "example") }
    /// `n` GiB, for examples.
    public static func gib(_ n: Double) -> Sourced { Sourced(Int64(n * 1_073_741_824), source: "example") }
}
