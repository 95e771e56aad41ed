import HeadroomCore

/// Arithmetic on figures read from input, which may be damaged: no result rather than a trap.
package enum SafeArithmetic {
    /// (`regions` + `more`) × `size`, or nil on overflow.
    static func bytes(regions: Int64, plus more: Int64, of size: Int64) -> Int64? {
        let (count, overflowA) = regions.addingReportingOverflow(more)
        let (product, overflowB) = count.multipliedReportingOverflow(by: size)
        return overflowA || overflowB ? nil : product
    }

    /// A double as a byte count, or nil when it is not finite, negative or beyond `Int64`.
    static func bytes(_ value: Double) -> Int64? {
        guard value.isFinite, value >= 0, value < 9.2e18 else { return nil }
        return Int64(value.rounded())
    }

    /// An unsigned 64-bit field (zip sizes, offsets) as `Int64`, or nil beyond `Int64.max`.
    static func offset(_ value: UInt64) -> Int64? {
        Int64(exactly: value)
    }
}
