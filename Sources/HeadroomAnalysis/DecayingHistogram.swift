import Foundation
import HeadroomIngest

/// Byte figures in exponentially growing buckets whose weights fade with age: the Kubernetes VPA
/// recommender's decaying histogram, in constant memory and without keeping samples.
///
/// The first bucket is 1 MiB wide and each next one 5 % wider, up to 1 TiB (about 230 buckets),
/// as the VPA's memory histogram. A sample's weight halves every `halfLifeSeconds` it is older than
/// the newest sample. Weights are stored relative to a reference time that moves forward only when
/// the factor would grow too large, so adding a sample costs one bucket update, and the order in
/// which samples arrive does not matter.
public struct DecayingHistogram: Sendable, Equatable {
    public static let firstBucketBytes = 1_048_576.0
    public static let growth = 0.05
    /// Values at or above this land in the last bucket.
    public static let maxBytes = 1_099_511_627_776.0
    /// Buckets needed to reach `maxBytes`.
    public static let bucketCount: Int = {
        var count = 1
        while bucketStart(count) < maxBytes { count += 1 }
        return count
    }()

    public let halfLifeSeconds: Double
    private var weights: [Double]
    /// Stored weights are relative to this time: a sample at it has its own weight.
    private var referenceTime: Double?
    /// The newest sample's time: the moment weights are reported at.
    public private(set) var newestTime: Double?
    public private(set) var sampleCount = 0
    public private(set) var largest: Double?

    public init(halfLifeSeconds: Double = 86_400) {
        precondition(halfLifeSeconds > 0, "half-life must be positive")
        self.halfLifeSeconds = halfLifeSeconds
        weights = Array(repeating: 0, count: Self.bucketCount)
    }

    /// Where bucket `index` begins: the widths 1 MiB × 1.05^i summed.
    public static func bucketStart(_ index: Int) -> Double {
        firstBucketBytes * (pow(1 + growth, Double(index)) - 1) / growth
    }

    /// The bucket holding `value`; negative values in the first, huge ones in the last.
    public static func bucket(for value: Double) -> Int {
        guard value > 0 else { return 0 }
        guard value < maxBytes else { return bucketCount - 1 }
        var index = Int((log(value * growth / firstBucketBytes + 1) / log(1 + growth)).rounded(.down))
        index = min(max(index, 0), bucketCount - 1)
        // The logarithm may land one bucket off at a boundary.
        while index + 1 < bucketCount && bucketStart(index + 1) <= value { index += 1 }
        while index > 0 && bucketStart(index) > value { index -= 1 }
        return index
    }

    /// The width of the bucket holding `value`: the precision of a percentile near it.
    public static func bucketWidth(at value: Double) -> Double {
        let index = bucket(for: value)
        return bucketStart(index + 1) - bucketStart(index)
    }

    /// Adds `value` seen at `time` (epoch seconds) with `weight`.
    public mutating func add(_ value: Double, at time: Double, weight: Double = 1) {
        guard value.isFinite, time.isFinite, weight > 0 else { return }
        let reference = referenceTime ?? time
        var exponent = (time - reference) / halfLifeSeconds
        if exponent > 64 {
            // Move the reference to this sample so stored weights stay far from overflow.
            let scale = exp2(-exponent)
            for index in weights.indices { weights[index] *= scale }
            referenceTime = time
            exponent = 0
        } else if referenceTime == nil {
            referenceTime = time
        }
        weights[Self.bucket(for: value)] += weight * exp2(exponent)
        newestTime = max(newestTime ?? time, time)
        sampleCount += 1
        largest = max(largest ?? value, value)
    }

    /// The summed weight seen from the newest sample: a sample at the newest time counts its
    /// weight, one a half-life older half of it.
    public var totalWeight: Double {
        guard let referenceTime, let newestTime else { return 0 }
        return weights.reduce(0, +) * exp2((referenceTime - newestTime) / halfLifeSeconds)
    }

    /// The weighted `fraction` percentile (0...1): the end of the first bucket at which the
    /// cumulative weight reaches `fraction` of the total, as the VPA reports it (never below
    /// the samples it stands for, at most one bucket width above). Nil when empty.
    public func percentile(_ fraction: Double) -> Double? {
        let total = weights.reduce(0, +)
        guard total > 0 else { return nil }
        let threshold = min(max(fraction, 0), 1) * total * (1 - 1e-9)
        var cumulative = 0.0
        for (index, weight) in weights.enumerated() where weight > 0 {
            cumulative += weight
            if cumulative >= threshold { return Self.bucketStart(index + 1) }
        }
        return Self.bucketStart(Self.bucketCount)
    }

    public var isEmpty: Bool { sampleCount == 0 }
}
