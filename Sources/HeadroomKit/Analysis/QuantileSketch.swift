#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streaming quantiles with a bounded relative error (logarithmic buckets, as in DDSketch).
///
/// With the default 0.5 % accuracy every quantile is within 0.5 % of a value of the input
/// whose rank is the one asked for; memory grows with the logarithm of the value range only.
public struct QuantileSketch: Sendable {
    public let relativeAccuracy: Double
    private let logGamma: Double
    private var buckets: [Int: Int] = [:]
    private var zeroCount = 0
    public private(set) var count = 0
    public private(set) var maximum = -Double.infinity
    public private(set) var minimum = Double.infinity
    public private(set) var sum = 0.0

    public init(relativeAccuracy: Double = 0.005) {
        self.relativeAccuracy = relativeAccuracy
        let gamma = (1 + relativeAccuracy) / (1 - relativeAccuracy)
        logGamma = log(gamma)
    }

    public mutating func add(_ value: Double) {
        guard value.isFinite else { return }
        count += 1
        sum += value
        maximum = max(maximum, value)
        minimum = min(minimum, value)
        if value <= 1e-9 {
            zeroCount += 1
        } else {
            buckets[Int(ceil(log(value) / logGamma)), default: 0] += 1
        }
    }

    /// The value at quantile `q` (0...1); nil when empty. The maximum is exact.
    public func quantile(_ q: Double) -> Double? {
        guard count > 0 else { return nil }
        if q >= 1 { return maximum }
        if q <= 0 { return minimum }
        let rank = Int((q * Double(count - 1)).rounded(.down))
        if rank < zeroCount { return 0 }
        var seen = zeroCount
        for key in buckets.keys.sorted() {
            seen += buckets[key]!
            if seen > rank {
                let estimate = 2 * exp(Double(key) * logGamma) / (1 + exp(logGamma))
                return min(max(estimate, minimum), maximum)
            }
        }
        return maximum
    }
}
