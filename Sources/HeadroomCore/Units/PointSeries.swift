/// A time series kept to a bounded number of points by keeping every k-th, doubling k when full,
/// so a week-long log and a minute-long one both chart in the same memory.
///
/// With a `.maximum` or `.minimum` reduction each kept point is the extreme of the k points it
/// stands for, so a thinned chart still shows the longest pause or the highest heap.
public struct PointSeries: Sendable {
    /// One (time, value) point.
    public struct Point: Sendable, Codable, Equatable {
        public var timeSeconds: Double
        public var value: Double

        public init(timeSeconds: Double, value: Double) {
            self.timeSeconds = timeSeconds
            self.value = value
        }
    }

    /// Which of the points a kept point stands for it shows.
    public enum Reduction: Sendable {
        /// Every k-th point as it came.
        case sample
        /// The largest value of its k points.
        case maximum
        /// The smallest value of its k points.
        case minimum
    }

    public let capacity: Int
    public let reduction: Reduction
    private var kept: [Point] = []
    private var pending: Point?
    private var pendingCount = 0
    private var stride = 1
    private var seen = 0

    public init(capacity: Int = 512, reduction: Reduction = .sample) {
        self.capacity = max(2, capacity)
        self.reduction = reduction
    }

    /// The kept points, oldest first (fewer than `capacity`).
    public var points: [Point] { pending.map { kept + [$0] } ?? kept }

    public mutating func add(time: Double, value: Double) {
        guard time.isFinite, value.isFinite else { return }
        defer { seen += 1 }
        let point = Point(timeSeconds: time, value: value)
        switch reduction {
        case .sample:
            guard seen % stride == 0 else { return }
            append(point)
        case .maximum, .minimum:
            if pending == nil || prefers(point, over: pending!) { pending = point }
            pendingCount += 1
            if pendingCount >= stride {
                append(pending!)
                pending = nil
                pendingCount = 0
            }
        }
    }

    private func prefers(_ point: Point, over other: Point) -> Bool {
        reduction == .maximum ? point.value > other.value : point.value < other.value
    }

    private mutating func append(_ point: Point) {
        kept.append(point)
        guard kept.count >= capacity else { return }
        switch reduction {
        case .sample:
            kept = kept.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        case .maximum, .minimum:
            kept = Swift.stride(from: 0, to: kept.count, by: 2).map { index in
                index + 1 < kept.count && prefers(kept[index + 1], over: kept[index]) ? kept[index + 1] : kept[index]
            }
        }
        stride *= 2
    }
}
