#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import HeadroomIngest

/// Streaming quantiles with a bounded relative error (logarithmic buckets, as in DDSketch).
///
/// With the default 0.5 % accuracy every quantile is within 0.5 % of a value of the input
/// whose rank is the one asked for; memory grows with the logarithm of the value range only.
public struct QuantileSketch: Sendable {
    public let relativeAccuracy: Double
    private let logGamma: Double
    /// Counts of the buckets `firstKey`, `firstKey + 1`, …: dense, since a log's values span a
    /// few thousand buckets at most.
    private var buckets: [Int] = []
    private var firstKey = 0
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
            let key = Int(ceil(log(value) / logGamma))
            if buckets.isEmpty {
                firstKey = key
                buckets = [0]
            } else if key < firstKey {
                buckets.insert(contentsOf: repeatElement(0, count: firstKey - key), at: 0)
                firstKey = key
            } else if key >= firstKey + buckets.count {
                buckets.append(contentsOf: repeatElement(0, count: key - firstKey - buckets.count + 1))
            }
            buckets[key - firstKey] += 1
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
        for (offset, bucketCount) in buckets.enumerated() where bucketCount > 0 {
            seen += bucketCount
            if seen > rank {
                let key = firstKey + offset
                let estimate = 2 * exp(Double(key) * logGamma) / (1 + exp(logGamma))
                return min(max(estimate, minimum), maximum)
            }
        }
        return maximum
    }
}
