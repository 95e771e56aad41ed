import HeadroomCore

/// How to read kernel logs for OOM reports: page size, bounds, and the clock facts a log leaves out.
public struct OOMReadOptions: Sendable, Equatable {
    /// Bytes per page for the task table (4096 on x86-64 and most arm64 kernels).
    public var pageSize: Int64
    /// Task-table rows kept per kill (the largest RSS); the rest are only counted.
    public var maxTasksPerKill: Int
    /// Kills kept per report (the latest); older ones are only counted.
    public var maxKills: Int
    /// Local time minus UTC, in seconds, for stamps printed without a zone (`dmesg -T`, syslog).
    public var utcOffsetSeconds: Int
    /// Seconds since the epoch near when the log was written, to give syslog stamps (which print
    /// no year) their year: the latest year that does not put the stamp in the future. Without it
    /// such stamps get no `epochSeconds`.
    public var referenceEpochSeconds: Double?

    public init(
        pageSize: Int64 = 4096, maxTasksPerKill: Int = 64, maxKills: Int = 1000,
        utcOffsetSeconds: Int = 0, referenceEpochSeconds: Double? = nil
    ) {
        self.pageSize = pageSize
        self.maxTasksPerKill = maxTasksPerKill
        self.maxKills = maxKills
        self.utcOffsetSeconds = utcOffsetSeconds
        self.referenceEpochSeconds = referenceEpochSeconds
    }
}
