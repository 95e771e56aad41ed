import HeadroomCore

/// Figures printed on the lines before a collection's summary line, kept until the summary arrives.
package struct PendingCollection {
    var gcID: Int
    var youngGeneration: OccupancyChange?
    var oldGeneration: OccupancyChange?
    var metaspace: OccupancyChange?
    var edenRegions: (before: Int64, after: Int64)?
    var survivorRegions: (before: Int64, after: Int64)?
    var oldRegions: (before: Int64, after: Int64)?
    var humongousRegions: (before: Int64, after: Int64)?
    var evacuationFailure = false
    /// ZGC: live bytes at mark end (non-generational) or per generation (generational).
    var liveBytes: Int64?
    var youngLiveBytes: Int64?
    var oldLiveBytes: Int64?
    /// ZGC: heap capacity at mark start.
    var capacityBytes: Int64?
    /// ZGC: the cycle's first pause, and the uptime of its first line.
    var cycleStartUptime: Double?

    init(gcID: Int) { self.gcID = gcID }

    /// G1 prints region counts; with the region size they become generation figures.
    mutating func resolveRegions(regionSize: Int64?) {
        guard let regionSize, regionSize > 0 else { return }
        if youngGeneration == nil, let eden = edenRegions {
            let survivor = survivorRegions ?? (0, 0)
            youngGeneration = Self.change(eden.before, survivor.before, eden.after, survivor.after, regionSize: regionSize)
        }
        if oldGeneration == nil, let old = oldRegions {
            let humongous = humongousRegions ?? (0, 0)
            oldGeneration = Self.change(old.before, humongous.before, old.after, humongous.after, regionSize: regionSize)
        }
    }

    /// (a + b) and (c + d) regions in bytes; nil when the figures overflow (a damaged line).
    private static func change(_ a: Int64, _ b: Int64, _ c: Int64, _ d: Int64, regionSize: Int64) -> OccupancyChange? {
        guard let before = SafeArithmetic.bytes(regions: a, plus: b, of: regionSize),
            let after = SafeArithmetic.bytes(regions: c, plus: d, of: regionSize)
        else { return nil }
        return OccupancyChange(beforeBytes: before, afterBytes: after, capacityBytes: nil)
    }
}

/// The few collections whose details are being gathered; generational ZGC overlaps a minor
/// collection with a major one, so more than one can be open. Bounded, so memory stays flat.
package struct PendingCollections {
    private var slots: [PendingCollection] = []
    private static let limit = 8

    mutating func withCollection<T>(_ gcID: Int, _ body: (inout PendingCollection) -> T) -> T {
        if let index = slots.lastIndex(where: { $0.gcID == gcID }) {
            return body(&slots[index])
        }
        if slots.count >= Self.limit { slots.removeFirst() }
        slots.append(PendingCollection(gcID: gcID))
        return body(&slots[slots.count - 1])
    }

    /// Removes and returns the details gathered for `gcID`.
    mutating func take(_ gcID: Int) -> PendingCollection? {
        guard let index = slots.lastIndex(where: { $0.gcID == gcID }) else { return nil }
        return slots.remove(at: index)
    }

    func peek(_ gcID: Int) -> PendingCollection? {
        slots.last(where: { $0.gcID == gcID })
    }

    mutating func removeAll() { slots.removeAll(keepingCapacity: true) }
}
