/// A time series kept to a bounded number of points by keeping every k-th, doubling k when full,
/// so a week-long log and a minute-long one both chart in the same memory.
public struct PointSeries: Sendable {
    /// One (time, value) point.
    public struct Point: Sendable, Codable, Equatable {
        public var timeSeconds: Double
        public var value: Double
    }

    public let capacity: Int
    public private(set) var points: [Point] = []
    private var stride = 1
    private var seen = 0

    public init(capacity: Int = 512) {
        self.capacity = max(2, capacity)
    }

    public mutating func add(time: Double, value: Double) {
        defer { seen += 1 }
        guard seen % stride == 0 else { return }
        points.append(Point(timeSeconds: time, value: value))
        if points.count >= capacity {
            points = points.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            stride *= 2
        }
    }
}
