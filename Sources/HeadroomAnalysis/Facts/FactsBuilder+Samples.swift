import HeadroomIngest

extension FactsBuilder {
    /// Tests' memory: the cgroup's usage beside the server only when the cgroup was the command's
    /// own (record.json says so, and is read before the samples); else the server's process tree.
    mutating func addTests(_ series: SampleSeriesFacts, source: String) {
        if let peak = series.treeTestsPeak { Self.raise(&facts.cgroup.treeTestsPeak, peak, source: "\(source) (server's process tree)") }
        if let peak = series.treePeak { Self.raise(&facts.cgroup.treePeak, peak, source: "\(source) (server's process tree)") }
        if let peak = series.anonPeak { Self.raise(&facts.cgroup.anonPeak, peak, source: "\(source) (memory.stat)") }
        if let peak = series.filePeak { Self.raise(&facts.cgroup.filePeak, peak, source: "\(source) (memory.stat)") }
        let cache = series.filePeak.map { "; page cache (memory.stat file) peaked at \(Formatting.bytes($0)), counted apart" } ?? ""
        if facts.cgroup.ownedByCommand?.value == true, let peak = series.cgroupTestsPeak, peak > 0 {
            Self.raise(&facts.cgroup.testsPeak, peak, source: source)
            facts.cgroup.testsBasis = Sourced("cgroup usage minus the server's RSS, same sample: the cgroup held the command alone (client, server, tests and their page cache)\(cache)", source: source)
        } else if let peak = series.treeTestsPeak, peak > 0 {
            Self.raise(&facts.cgroup.testsPeak, peak, source: "\(source) (server's process tree)")
            let why = facts.cgroup.ownedByCommand == nil ? "the cgroup is not known to be the command's own" : "the cgroup was shared with other processes"
            facts.cgroup.testsBasis = Sourced("RSS of the server's descendants, sample by sample: \(why), so its usage is not the command's\(cache)", source: source)
        }
    }

    /// A memory series: the server's tree, its cgroup and the host, as `sample`/`record` write it
    /// or in any other format the series readers know. A series without a single sample throws.
    public mutating func addSamples(path: String) throws {
        var series = SampleSeriesFacts()
        let summary = try MemorySeriesReader.read(path) { series.add($0) }
        if let empty = summary.withoutSamples { throw empty }
        let source = summary.source
        facts.inputs.append("samples: \(source) (\(summary.samples) samples\(summary.isPartial ? ", partial" : ""))")
        if summary.isPartial { markPartial("\(source): the series was cut short") }
        for warning in summary.warnings.prefix(5) { note("\(source): \(warning)") }
        if summary.badLineCount > 0 { note("\(source): \(summary.badLineCount) unreadable lines skipped, first: \(summary.badLines.first?.description ?? "")") }
        if let peak = series.serverRSSPeak { Self.raise(&facts.server.rssPeak, peak, source: source) }
        if let peak = series.cgroupPeak { Self.raise(&facts.cgroup.peak, peak, source: source) }
        addTests(series, source: source)
        facts.cgroup.path = series.cgroupPath.map { Sourced($0, source: source) } ?? facts.cgroup.path
        facts.cgroup.limit = series.limit.map { Sourced($0, source: source) } ?? facts.cgroup.limit
        facts.cgroup.high = series.high.map { Sourced($0, source: source) } ?? facts.cgroup.high
        facts.cgroup.swapPeak = series.swapPeak.map { Sourced($0, source: source) } ?? facts.cgroup.swapPeak
        facts.cgroup.swapLimit = series.swapLimit.map { Sourced($0, source: source) } ?? facts.cgroup.swapLimit
        let oom = series.delta { $0.events?.oom ?? ($0.underOOM == true ? 1 : nil) }
        facts.cgroup.oomEvents = oom.map { Sourced($0, source: source) } ?? facts.cgroup.oomEvents
        let kills = series.delta { $0.events?.oomKill ?? $0.oomKillCount }
        facts.cgroup.oomKills = kills.map { Sourced($0, source: source) } ?? facts.cgroup.oomKills
        let maxEvents = series.delta { $0.events?.max ?? $0.failCount }
        facts.cgroup.maxEvents = maxEvents.map { Sourced($0, source: source) } ?? facts.cgroup.maxEvents
        let highEvents = series.delta { $0.events?.high }
        facts.cgroup.highEvents = highEvents.map { Sourced($0, source: source) } ?? facts.cgroup.highEvents
        if let full = series.stallFraction(\.full) {
            facts.cgroup.fullStallFraction = Sourced(full.fraction, source: "\(source) (\(full.scope) PSI)")
        }
        if let some = series.stallFraction(\.some) {
            facts.cgroup.someStallFraction = Sourced(some.fraction, source: "\(source) (\(some.scope) PSI)")
        }
        if series.hasChart {
            charts.samples.append(
                ChartData.Samples(
                    source: source, startEpochSeconds: series.startTime, serverRSS: series.serverRSSSeries.points,
                    cgroupUsage: series.cgroupUsageSeries.points, tests: series.testsSeries.points, limitBytes: series.limit,
                    oomKillSeconds: series.oomKillSeconds))
        }
        if let memory = series.hostMemory, facts.host.memory == nil { facts.host.memory = Sourced(memory, source: source) }
        if let swap = series.hostSwap { facts.host.swapTotal = Sourced(swap, source: source) }
    }
}
