import HeadroomCore

/// A process's `/proc/PID/smaps`, reduced to what sizes a JVM: its resident memory, and the
/// resident part of its Java heap — the anonymous mappings that make up the heap's reservation.
///
/// The heap is found by its size: with compressed oops the JVM reserves `MaxHeapSize` so that
/// it ends at 4 GiB (32-bit mode) or 32 GiB (zero-based mode), as the GC log's exit line shows
/// (`garbage-first heap … [0x…e0000000, 0x…100000000)`), and the mappings there tile it exactly;
/// otherwise it is the one contiguous run of anonymous mappings whose size is the heap's. Nil when no such run is there, so a guess is
/// never reported as a measurement.
public struct ProcessSmaps: Sendable, Equatable {
    /// Resident bytes of every mapping (the sum of `Rss:`).
    public var residentBytes: Int64
    /// Resident bytes of the Java heap's mappings; nil when the heap was not found.
    public var residentHeapBytes: Int64?

    /// One mapping: its address range, whether it is anonymous, and its `Rss:`.
    struct Mapping {
        var start: UInt64
        var end: UInt64
        var anonymous: Bool
        var resident: Int64
    }

    /// Reads `text` (the smaps file) for a JVM whose maximum heap is `maxHeapBytes`.
    public init?(_ text: [UInt8], maxHeapBytes: Int64?) {
        let mappings = Self.mappings(text)
        guard !mappings.isEmpty else { return nil }
        residentBytes = mappings.reduce(0) { $0 + $1.resident }
        residentHeapBytes = maxHeapBytes.flatMap { Self.heapResident(mappings, maxHeapBytes: $0) }
    }

    /// The Java heap's resident bytes: the run of adjacent anonymous mappings ending at a
    /// compressed-oops boundary, else any run, whose size is `maxHeapBytes` (within 1 %).
    static func heapResident(_ mappings: [Mapping], maxHeapBytes: Int64) -> Int64? {
        let size = UInt64(max(maxHeapBytes, 0))
        let boundaries: [UInt64] = [1 << 32, 32 << 30]
        // The mappings tiling [boundary − size, boundary): the heap, exactly. The JVM maps its
        // class-data-sharing archive regions into the top of the heap from a file, so file-backed
        // mappings inside the range count too.
        for boundary in boundaries where size > 0 && size <= boundary {
            let start = boundary - size
            let inside = mappings.filter { $0.start >= start && $0.end <= boundary }
            let covered = inside.reduce(UInt64(0)) { $0 + ($1.end - $1.start) }
            if covered == size { return inside.reduce(0) { $0 + $1.resident } }
        }
        // Else the one run of adjacent anonymous mappings that has the heap's size.
        var runs: [(start: UInt64, end: UInt64, resident: Int64)] = []
        for mapping in mappings.sorted(by: { $0.start < $1.start }) where mapping.anonymous {
            if let last = runs.last, last.end == mapping.start {
                runs[runs.count - 1] = (last.start, mapping.end, last.resident + mapping.resident)
            } else {
                runs.append((mapping.start, mapping.end, mapping.resident))
            }
        }
        let matching = runs.filter { run in
            let length = Double(run.end - run.start)
            return abs(length - Double(size)) <= Double(size) * 0.01
        }
        return matching.count == 1 ? matching[0].resident : nil
    }

    /// Mapping headers (`start-end perms offset dev inode [path]`) and their `Rss:` lines.
    static func mappings(_ text: [UInt8]) -> [Mapping] {
        var mappings: [Mapping] = []
        var lineStart = 0
        for index in 0...text.count where index == text.count || text[index] == 0x0A {
            let line = text[lineStart..<index]
            lineStart = index + 1
            guard let first = line.first else { continue }
            if Self.isHexDigit(first), let dash = line.firstIndex(of: 0x2D) {
                let fields = line.split(separator: 0x20, omittingEmptySubsequences: true)
                guard fields.count >= 5, let start = UInt64(String(decoding: line[line.startIndex..<dash], as: UTF8.self), radix: 16),
                    let end = UInt64(String(decoding: fields[0][(dash + 1)...], as: UTF8.self), radix: 16), end >= start
                else { continue }
                // Anonymous: no path (the sixth field), and inode 0.
                let anonymous = fields.count == 5 && fields[4].elementsEqual("0".utf8)
                mappings.append(Mapping(start: start, end: end, anonymous: anonymous, resident: 0))
            } else if line.starts(with: "Rss:".utf8), !mappings.isEmpty {
                let number = line.dropFirst(4).filter { $0 >= 0x30 && $0 <= 0x39 }
                if let kilobytes = Int64(String(decoding: number, as: UTF8.self)), kilobytes < Int64.max / 1024 {
                    mappings[mappings.count - 1].resident = kilobytes * 1024
                }
            }
        }
        return mappings
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x61...0x66).contains(byte)
    }
}
