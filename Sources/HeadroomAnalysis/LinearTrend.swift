import HeadroomIngest

/// Least-squares line through (time, value) points, accumulated without keeping the points.
public struct LinearTrend: Sendable {
    public private(set) var count = 0
    private var sumX = 0.0, sumY = 0.0, sumXX = 0.0, sumXY = 0.0, sumYY = 0.0
    public private(set) var firstX: Double?
    public private(set) var lastX: Double?

    public init() {}

    public mutating func add(x: Double, y: Double) {
        count += 1
        sumX += x
        sumY += y
        sumXX += x * x
        sumXY += x * y
        sumYY += y * y
        if firstX == nil { firstX = x }
        lastX = x
    }

    /// Change of the value per unit of x; nil with fewer than 3 points or no spread in x.
    public var slope: Double? {
        guard count >= 3 else { return nil }
        let n = Double(count)
        let denominator = n * sumXX - sumX * sumX
        guard denominator > 1e-12 * max(1, n * sumXX) else { return nil }
        return (n * sumXY - sumX * sumY) / denominator
    }

    /// Coefficient of determination (R²), 0...1: how well the line fits.
    public var goodnessOfFit: Double? {
        guard let slope, count >= 3 else { return nil }
        let n = Double(count)
        let meanY = sumY / n
        let totalVariance = sumYY - n * meanY * meanY
        guard totalVariance > 1e-9 else { return 1 }
        let explained = slope * (sumXY - sumX * sumY / n)
        return min(1, max(0, explained / totalVariance))
    }

    /// The fitted value at `x`.
    public func value(at x: Double) -> Double? {
        guard let slope else { return nil }
        let n = Double(count)
        return (sumY - slope * sumX) / n + slope * x
    }
}
