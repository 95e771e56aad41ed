import HeadroomCore

/// Tells which build phase a time falls in, while the phase markers are still arriving.
///
/// A phase ends at the next marker, which may not have been read yet. Samples later than the
/// latest marker are held back until a later marker (or the end of the profile) settles them;
/// everything earlier is settled at once. Bazel writes each marker when its phase begins and its
/// counters at the end of the profile, so the held-back samples are only those of the phase
/// being read: memory stays flat however long the profile.
package struct TraceProfilePhaseClock {
    /// What a held-back sample is.
    enum SampleKind: UInt8 {
        case minorGC, majorGC
        case counter0, counter1, counter2, counter3, counter4, counter5
    }

    struct Sample {
        var kind: SampleKind
        var time: Double
        /// The pause length for GC, the counter value otherwise.
        var value: Double
    }

    /// Markers in arrival order.
    private(set) var markers: [(name: String, time: Double)] = []
    /// Arrival indices of `markers`, sorted by time (stable for equal times).
    private var order: [Int] = []
    private var pending: [Sample] = []
    private(set) var largestPending = 0

    /// Adds a marker; returns the held-back samples it settles, with their marker index.
    mutating func addMarker(name: String, time: Double) -> [(sample: Sample, marker: Int?)] {
        markers.append((name, time))
        let index = markers.count - 1
        var position = order.count
        while position > 0, markers[order[position - 1]].time > time { position -= 1 }
        order.insert(index, at: position)
        guard !pending.isEmpty, let latest = latestMarkerTime else { return [] }
        var settled: [(sample: Sample, marker: Int?)] = []
        var kept: [Sample] = []
        for sample in pending {
            if sample.time < latest {
                settled.append((sample, marker(at: sample.time)))
            } else {
                kept.append(sample)
            }
        }
        pending = kept
        return settled
    }

    /// The marker a sample belongs to now, or nil after holding it back.
    mutating func place(_ sample: Sample) -> (settled: Bool, marker: Int?) {
        if let latest = latestMarkerTime, sample.time < latest {
            return (true, marker(at: sample.time))
        }
        pending.append(sample)
        largestPending = max(largestPending, pending.count)
        return (false, nil)
    }

    /// Settles every held-back sample at the end of the profile.
    mutating func finish() -> [(sample: Sample, marker: Int?)] {
        defer { pending = [] }
        return pending.map { ($0, marker(at: $0.time)) }
    }

    /// Arrival indices in time order.
    var markersInTimeOrder: [Int] { order }

    private var latestMarkerTime: Double? { order.last.map { markers[$0].time } }

    /// The marker with the latest time not after `time`.
    private func marker(at time: Double) -> Int? {
        var low = 0
        var high = order.count
        while low < high {
            let middle = (low + high) / 2
            if markers[order[middle]].time <= time { low = middle + 1 } else { high = middle }
        }
        return low == 0 ? nil : order[low - 1]
    }
}
