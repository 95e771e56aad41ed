import HeadroomCore

/// Sizes as `bazel info` prints them (`6320MB`): decimal megabytes. Seen here: a heap the GC log
/// gives as `Heap Max Capacity: 6028M` (MiB) is `max-heap-size: 6320MB` in `bazel info`.
public enum BazelInfoSize {
    /// Bytes for `NNNMB`; nil for anything else (`unknown`, a missing key).
    public static func bytes(_ text: String?) -> Int64? {
        guard let text, text.hasSuffix("MB"), let megabytes = Int64(text.dropLast(2)) else { return nil }
        let (product, overflow) = megabytes.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? nil : product
    }
}
