import HeadroomAnalysis

/// systemd memory limits for the scope the server and its tests run in.
public struct CgroupLimits: Sendable, Codable, Equatable, CustomStringConvertible {
    /// `MemoryMax`: the kernel OOM-kills above it.
    public var memoryMaxBytes: Int64
    /// `MemoryHigh`: the kernel throttles and reclaims above it.
    public var memoryHighBytes: Int64?
    /// `MemorySwapMax`: 0 so swap cannot hide overuse.
    public var memorySwapMaxBytes: Int64?
    /// How the figures were worked out.
    public var basis: String

    public init(memoryMaxBytes: Int64, memoryHighBytes: Int64? = nil, memorySwapMaxBytes: Int64? = 0, basis: String) {
        self.memoryMaxBytes = memoryMaxBytes
        self.memoryHighBytes = memoryHighBytes
        self.memorySwapMaxBytes = memorySwapMaxBytes
        self.basis = basis
    }

    /// The `-p` properties of `systemd-run`, in order.
    public var systemdProperties: [String] {
        var properties = ["MemoryMax=\(ByteSize.systemdArgument(memoryMaxBytes))"]
        if let memoryHighBytes { properties.append("MemoryHigh=\(ByteSize.systemdArgument(memoryHighBytes))") }
        if let memorySwapMaxBytes { properties.append("MemorySwapMax=\(ByteSize.systemdArgument(memorySwapMaxBytes).replacingZero)") }
        return properties
    }

    public var description: String { systemdProperties.joined(separator: " ") }
}

package extension String {
    /// systemd reads `0` for no swap; `0M` works too, but `0` is what people write.
    fileprivate var replacingZero: String { self == "0M" ? "0" : self }
}
