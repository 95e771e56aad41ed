import HeadroomIngest

/// Reduces a memory series (the server's process tree, its cgroup, the host) to the figures
/// rules need, one sample at a time.
package struct SampleSeriesFacts {
    var serverRSSPeak: Int64?
    var cgroupPeak: Int64?
    /// Tests' peak from the server's process tree (its descendants' RSS), and the tree's whole peak.
    var treeTestsPeak: Int64?
    var treePeak: Int64?
    /// Tests' peak as cgroup usage minus the server's RSS: the command's only in a cgroup of its own.
    var cgroupTestsPeak: Int64?
    var anonPeak: Int64?
    var filePeak: Int64?
    var cgroupPath: String?
    var limit: Int64?
    var high: Int64?
    var swapPeak: Int64?
    var swapLimit: Int64?
    var hostMemory: Int64?
    var hostSwap: Int64?
    /// Series for charts, seconds from the first sample.
    var serverRSSSeries = PointSeries(reduction: .maximum)
    var cgroupUsageSeries = PointSeries(reduction: .maximum)
    var testsSeries = PointSeries(reduction: .maximum)
    /// Where the cgroup's OOM-kill counter went up, seconds from the first sample (at most 100).
    var oomKillSeconds: [Double] = []
    private var lastOOMKillCount: Int64?
    private var firstCgroup: CgroupMemory?
    private var lastCgroup: CgroupMemory?
    private var firstTime: Double?
    private var lastTime: Double?
    private var firstHostPressure: MemoryPressure?
    private var lastHostPressure: MemoryPressure?

    mutating func add(_ sample: MemorySample) {
        firstTime = firstTime ?? sample.time
        lastTime = sample.time
        let seconds = sample.time - (firstTime ?? sample.time)
        var serverRSS: Int64?
        var tests: Int64?
        if let tree = sample.processes {
            serverRSS = tree.largest.first { $0.pid == tree.rootPID }?.rssBytes ?? (tree.processCount == 1 ? tree.rssBytes : nil)
            let peak = max(serverRSS ?? 0, tree.rootPeakRSSBytes ?? 0)
            if peak > 0 { serverRSSPeak = max(serverRSSPeak ?? 0, peak) }
            if let serverRSS {
                let descendants = tree.processCount > 1 ? max(0, tree.rssBytes - serverRSS) : 0
                tests = descendants
                treeTestsPeak = max(treeTestsPeak ?? 0, descendants)
                treePeak = max(treePeak ?? 0, tree.rssBytes)
            }
            if let serverRSS { serverRSSSeries.add(time: seconds, value: Double(serverRSS)) }
        }
        if let cgroup = sample.cgroup {
            if let usage = cgroup.usageBytes {
                cgroupUsageSeries.add(time: seconds, value: Double(usage))
            }
            if let kills = cgroup.events?.oomKill ?? cgroup.oomKillCount {
                if let last = lastOOMKillCount, kills > last, oomKillSeconds.count < 100 { oomKillSeconds.append(seconds) }
                lastOOMKillCount = kills
            }
            firstCgroup = firstCgroup ?? cgroup
            lastCgroup = cgroup
            cgroupPath = cgroup.path
            if let usage = max(cgroup.usageBytes ?? 0, cgroup.peakBytes ?? 0) as Int64?, usage > 0 { cgroupPeak = max(cgroupPeak ?? 0, usage) }
            if let usage = cgroup.usageBytes, let serverRSS { cgroupTestsPeak = max(cgroupTestsPeak ?? 0, usage - serverRSS) }
            if let anon = cgroup.stat?.anonBytes { anonPeak = max(anonPeak ?? 0, anon) }
            if let file = cgroup.stat?.fileBytes { filePeak = max(filePeak ?? 0, file) }
            limit = cgroup.limitBytes ?? limit
            high = cgroup.highBytes ?? high
            if let swap = cgroup.swapUsageBytes { swapPeak = max(swapPeak ?? 0, swap) }
            swapLimit = cgroup.swapLimitBytes ?? swapLimit
        }
        if let tests { testsSeries.add(time: seconds, value: Double(max(0, tests))) }
        if let host = sample.host {
            hostMemory = host.totalBytes ?? hostMemory
            hostSwap = host.swapTotalBytes ?? hostSwap
            if host.pressure != nil {
                firstHostPressure = firstHostPressure ?? host.pressure
                lastHostPressure = host.pressure
            }
        }
    }

    /// The first sample's time, seconds since the epoch.
    var startTime: Double? { firstTime }

    /// Something over time to draw.
    var hasChart: Bool {
        serverRSSSeries.points.count > 1 || cgroupUsageSeries.points.count > 1
    }

    var seconds: Double? {
        guard let firstTime, let lastTime, lastTime > firstTime else { return nil }
        return lastTime - firstTime
    }

    /// A cumulative counter's growth over the series.
    func delta(_ counter: (CgroupMemory) -> Int64?) -> Int64? {
        guard let last = lastCgroup.flatMap(counter) else { return nil }
        return last - (firstCgroup.flatMap(counter) ?? 0)
    }

    /// PSI stall time over the series' time: the cgroup's when it has PSI, else the host's.
    func stallFraction(_ kind: (MemoryPressure) -> PressureStall?) -> (fraction: Double, scope: String)? {
        guard let seconds else { return nil }
        func fraction(_ first: MemoryPressure?, _ last: MemoryPressure?) -> Double? {
            guard let end = last.flatMap(kind) else { return nil }
            let start = first.flatMap(kind)?.totalMicroseconds ?? end.totalMicroseconds
            return min(1, max(0, Double(end.totalMicroseconds - start) / 1_000_000 / seconds))
        }
        if let cgroup = fraction(firstCgroup?.pressure, lastCgroup?.pressure) { return (cgroup, "cgroup") }
        if let host = fraction(firstHostPressure, lastHostPressure) { return (host, "host") }
        return nil
    }
}
