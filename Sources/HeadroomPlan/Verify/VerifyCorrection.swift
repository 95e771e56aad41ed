import HeadroomRules

/// The step up after a too-tight run: max(+100 MiB, ×1.2) of what the run reached, as the
/// Kubernetes VPA recommender sizes a container again after an OOM kill.
public enum VerifyCorrection {
    /// max(+100 MiB, ×1.2) of `bytes`, rounded up to 1 MiB: the absolute step keeps small limits
    /// from creeping up by a few MiB at a time, the relative one scales with large ones.
    public static func grown(_ bytes: Int64) -> Int64 {
        ByteSize.roundUp(MemoryModel.bumped(bytes), to: ByteSize.mib)
    }

    /// What a too-tight run reached: the larger of its peak and its limit (a thrashing run may
    /// peak below its limit, and still needs more than it had).
    public static func reached(limit: Int64, peak: Int64?) -> Int64 {
        max(peak ?? 0, limit)
    }

    /// The `MemoryMax` after a too-tight run; after Bazel's own heap OOM (exit 33) the heap grows
    /// by `heapGrowth` bytes and the limit at least with it.
    public static func limit(after limit: Int64, peak: Int64?, heapGrowth: Int64? = nil) -> Int64 {
        let bumped = grown(reached(limit: limit, peak: peak))
        guard let heapGrowth else { return bumped }
        return max(bumped, limit + heapGrowth)
    }

    /// `limits` with `MemoryMax` set to `maximum`, `MemoryHigh` keeping its ratio to it.
    public static func limits(_ limits: CgroupLimits, withMax maximum: Int64, basis: String) -> CgroupLimits {
        var result = limits
        let ratio = limits.memoryHighBytes.map { Double($0) / Double(limits.memoryMaxBytes) }
        result.memoryMaxBytes = maximum
        if let ratio { result.memoryHighBytes = ByteSize.roundUp(Int64(Double(maximum) * ratio), to: ByteSize.mib) }
        result.basis = basis
        return result
    }
}
