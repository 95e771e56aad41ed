extension MemorySample {
    /// What makes this sample impossible, or nil: a time that is not a finite number, or a size
    /// below zero.
    public var impossibility: String? {
        guard time.isFinite else { return "time is not a number" }
        let sizes: [(String, Int64?)] = [
            ("processes.rssBytes", processes?.rssBytes), ("processes.anonBytes", processes?.anonBytes),
            ("processes.fileBytes", processes?.fileBytes), ("processes.rootPeakRSSBytes", processes?.rootPeakRSSBytes),
            ("cgroup.usageBytes", cgroup?.usageBytes), ("cgroup.peakBytes", cgroup?.peakBytes),
            ("cgroup.limitBytes", cgroup?.limitBytes), ("cgroup.highBytes", cgroup?.highBytes),
            ("cgroup.swapUsageBytes", cgroup?.swapUsageBytes), ("host.totalBytes", host?.totalBytes),
            ("host.availableBytes", host?.availableBytes),
        ]
        if let negative = sizes.first(where: { ($0.1 ?? 0) < 0 }) { return "\(negative.0) is negative (\(negative.1!))" }
        if let process = processes?.largest.first(where: { $0.rssBytes < 0 }) { return "the RSS of pid \(process.pid) is negative" }
        return nil
    }
}
