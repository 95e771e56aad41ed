import Foundation
import HeadroomPlan

/// One axis of a chart: its unit, its range, and "nice" ticks (1, 2, 2.5 or 5 times a power of
/// ten in the unit shown: MiB or GiB for bytes, s, min or h for time, ms, %).
public struct ChartAxis: Sendable {
    /// What the values measure; decides the unit the ticks are written in.
    public enum Quantity: Sendable {
        case bytes
        case seconds
        case milliseconds
        /// 0...1, shown as %.
        case fraction
    }

    public var quantity: Quantity
    public private(set) var lower: Double
    public private(set) var upper: Double
    public private(set) var ticks: [Double] = []
    /// The unit the tick labels are written in (`MiB`, `s`, `%`).
    public private(set) var unit: String
    private var scale: Double

    /// An axis covering `values`; from zero when `fromZero` (amounts), else from the smallest.
    public init(_ quantity: Quantity, values: [Double], fromZero: Bool, targetTicks: Int = 6) {
        self.quantity = quantity
        let finite = values.filter(\.isFinite)
        var low = fromZero ? 0 : (finite.min() ?? 0)
        var high = finite.max() ?? 1
        if fromZero { low = min(0, low) }
        if high <= low { high = low + (quantity == .fraction ? 0.01 : 1) }
        (unit, scale) = Self.unit(for: quantity, magnitude: max(abs(high), abs(low)))
        let step = Self.niceStep((high - low) / scale / Double(max(1, targetTicks - 1))) * scale
        lower = (low / step).rounded(.down) * step
        upper = (high / step).rounded(.up) * step
        if upper - lower < step { upper = lower + step }
        var tick = lower
        while tick <= upper + step * 1e-9 && ticks.count < 40 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
    }

    /// A tick's label in the axis' unit, without the unit (`512`, `1.5`): as many decimals as
    /// the ticks need to be told apart, the same for all of them.
    public func label(_ value: Double) -> String {
        String(format: "%.\(decimals)f", value / scale)
    }

    private var decimals: Int {
        for digits in 0...3 {
            let factor = pow(10, Double(digits))
            if ticks.allSatisfy({ abs(($0 / scale * factor).rounded() - $0 / scale * factor) < 1e-6 }) { return digits }
        }
        return 3
    }

    /// The position of `value` in 0...1 along the axis.
    public func fraction(_ value: Double) -> Double {
        upper > lower ? (value - lower) / (upper - lower) : 0
    }

    static func unit(for quantity: Quantity, magnitude: Double) -> (String, Double) {
        switch quantity {
        case .bytes:
            if magnitude >= 2 * 1_073_741_824 { return ("GiB", 1_073_741_824) }
            if magnitude >= 2 * 1_048_576 { return ("MiB", 1_048_576) }
            if magnitude >= 2 * 1024 { return ("KiB", 1024) }
            return ("B", 1)
        case .seconds:
            if magnitude >= 3 * 3600 { return ("h", 3600) }
            if magnitude >= 3 * 60 { return ("min", 60) }
            return ("s", 1)
        case .milliseconds:
            return magnitude >= 3000 ? ("s", 1000) : ("ms", 1)
        case .fraction:
            return ("%", 0.01)
        }
    }

    /// The smallest of 1, 2, 2.5, 5 × 10ⁿ at or above `rough`.
    static func niceStep(_ rough: Double) -> Double {
        guard rough.isFinite, rough > 0 else { return 1 }
        let power = pow(10, floor(log10(rough)))
        for factor in [1, 2, 2.5, 5, 10] where factor * power >= rough * (1 - 1e-9) { return factor * power }
        return 10 * power
    }
}
