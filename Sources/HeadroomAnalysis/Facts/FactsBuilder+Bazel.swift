import Foundation
import HeadroomIngest

extension FactsBuilder {
    /// Memory settings from `.bazelrc` files or a command line (rc files first, the command line
    /// after, so the command line wins as it does in Bazel).
    public mutating func addSettings(_ settings: BazelMemorySettings, origin: String) {
        func sourced<V, W>(_ setting: RcSetting<V>?, _ convert: (V) -> W?) -> Sourced<W>? {
            guard let setting, let value = convert(setting.value) else { return nil }
            let location = SourceLocation(file: DisplayPath.relative(setting.location.file), line: setting.location.line)
            return Sourced(value, source: "\(location) (--\(setting.flag)=\(CredentialMasking.masked(setting.text)))")
        }
        func same<V>(_ value: V) -> V? { value }
        func number(_ amount: ResourceAmount) -> Int? {
            amount.resolved(hostCPUs: Double(facts.host.cpus?.value ?? 0), hostRAMMegabytes: Double(facts.host.memory?.value ?? 0) / 1_048_576).map { Int($0) }
        }
        func megabytes(_ amount: ResourceAmount) -> Double? {
            amount.resolved(hostCPUs: Double(facts.host.cpus?.value ?? 0), hostRAMMegabytes: Double(facts.host.memory?.value ?? 0) / 1_048_576)
        }
        facts.inputs.append("Bazel options: \(origin)")
        if let max = sourced(settings.maxHeapBytes, same) { facts.heap.configuredMax = max }
        if let percent = sourced(settings.maxRAMPercentage, same) { facts.heap.maxRAMPercentage = percent }
        if let jobs = sourced(settings.jobs, number) { facts.flags.jobs = jobs }
        if let jobs = sourced(settings.localTestJobs, number) { facts.flags.localTestJobs = jobs }
        if let ram = sourced(settings.localResources["memory"], megabytes) ?? sourced(settings.localRAMResources, megabytes) {
            facts.flags.localRAMMegabytes = ram
        }
        if let executor = sourced(settings.remoteExecutor, CredentialMasking.masked), !executor.value.isEmpty { facts.flags.remoteExecutor = executor }
        if let cache = sourced(settings.remoteCache, CredentialMasking.masked), !cache.value.isEmpty { facts.flags.remoteCache = cache }
        if let value = sourced(settings.remoteMerkleTreeCache, same) { facts.flags.merkleTreeCache = value }
        if let value = sourced(settings.remoteMerkleTreeCacheSize, same) { facts.flags.merkleTreeCacheSize = value }
        if let value = sourced(settings.remoteDiscardMerkleTrees, same) { facts.flags.discardMerkleTrees = value }
        if let value = sourced(settings.discardAnalysisCache, same) { facts.flags.discardAnalysisCache = value }
        if let value = sourced(settings.keepStateAfterBuild, same) { facts.flags.keepStateAfterBuild = value }
        if let value = sourced(settings.trackIncrementalState, same) { facts.flags.trackIncrementalState = value }
        if let value = sourced(settings.heapDumpOnOOM, same) { facts.flags.heapDumpOnOOM = value }
        if let value = sourced(settings.gcThrashingThreshold, same) { facts.flags.gcThrashingThreshold = value }
        if let value = sourced(settings.maxIdleSeconds, same) { facts.flags.maxIdleSeconds = value }
        if let value = sourced(settings.shutdownOnLowSystemMemory, same) { facts.flags.shutdownOnLowSystemMemory = value }
        for option in settings.unreadable.prefix(5) { note("\(option.location): could not read \(option.raw)") }
    }

    /// What `headroom record` wrote about a run: exit status, the server's JVM flags, scope, `bazel info`.
    public mutating func addRecord(_ record: RecordFacts, source: String) {
        facts.inputs.append("recording: \(source) (exit \(record.exitStatus.map(String.init) ?? "unknown"))")
        if let status = record.exitStatus {
            facts.bazel.outOfMemoryExit = Sourced(status == 33, source: "\(source): exit status \(status)")
        }
        if !record.timedOut && !record.interrupted, let invocation = BazelInvocation(record.requestedCommand) {
            facts.bazel.command = Sourced(invocation.command, source: source)
            let location = SourceLocation(file: "\(source): command", line: 1)
            let startup = RcOption.parse(invocation.startupOptions, command: "startup", config: nil, location: location)
            let arguments = RcOption.parse(invocation.arguments, command: invocation.command, config: nil, location: location)
            addSettings(BazelMemorySettings(startupOptions: startup, commandOptions: arguments), origin: "\(source): the measured command line")
        } else if record.timedOut || record.interrupted {
            markPartial("\(source): the command did not finish (\(record.timedOut ? "timed out" : "interrupted"))")
        }
        if let commandLine = record.serverCommandLine {
            let location = SourceLocation(file: "\(source): server command line", line: 1)
            let options = commandLine.map { RcOption(name: "host_jvm_args", value: $0, raw: $0, location: location, command: "startup") }
            let jvm = BazelMemorySettings(startupOptions: options, commandOptions: [])
            if let max = jvm.maxHeapBytes {
                facts.heap.configuredMax = Sourced(max.value, source: "\(source): the server's JVM flags (\(max.text))")
            }
            // After `-jar A-server.jar` come the startup options the server really runs with, as
            // the client resolved them from every rc file and the command line: they beat any
            // guess from .bazelrc files, and an option already in force is not advised again.
            if let jar = commandLine.firstIndex(of: "-jar"), jar + 2 < commandLine.count {
                let serverLocation = SourceLocation(file: "\(source): server startup options", line: 1)
                let startup = RcOption.parse(Array(commandLine[(jar + 2)...]), command: "startup", config: nil, location: serverLocation)
                addSettings(BazelMemorySettings(startupOptions: startup, commandOptions: []), origin: "\(source): the server's own startup options")
            }
        }
        if let cgroup = record.cgroup {
            facts.cgroup.ownedByCommand = Sourced(cgroup.own, source: "\(source): cgroup \(cgroup.ownership.rawValue) (\(cgroup.reason))")
        }
        if let inside = record.serverInsideScope { facts.server.insideScope = Sourced(inside, source: "\(source): serverInsideScope") }
        if let died = record.serverDied { facts.server.died = Sourced(died, source: "\(source): serverDied") }
        if let resident = record.serverResidentBytes, let heap = record.serverResidentHeapBytes, resident > heap {
            facts.server.nonHeapMeasured = Sourced(resident - heap, source: "\(source): /proc/PID/smaps, resident \(Formatting.bytes(resident)) − resident heap \(Formatting.bytes(heap))")
        }
        let info = record.bazelInfo
        func infoBytes(_ key: String) -> Sourced<Int64>? {
            BazelInfoSize.bytes(info[key]).map { Sourced($0, source: "\(source): bazel info \(key)") }
        }
        if let max = infoBytes("max-heap-size") { facts.heap.effectiveMax = max }
        if let committed = infoBytes("committed-heap-size") { Self.raise(&facts.heap.committedPeak, committed.value, source: committed.source) }
        if let live = infoBytes("used-heap-size-after-gc") {
            facts.liveSet.afterForcedFullGC = live
            if record.requestedCommand.contains("--nobuild") { facts.liveSet.analysisPhase = live }
        }
        if record.addedStartupOptions.contains(where: { $0.contains("-Xlog:gc") }) {
            facts.liveSet.seenOverOneCommand = Sourced(true, source: "\(source): the recording started its own server and GC log")
        }
        if let release = info["release"] { setRelease(release, source: "\(source): bazel info release") }
    }

    /// An analysis baseline, and the floor of its sweep.
    public mutating func addBaseline(_ baseline: BaselineReport, source: String) {
        facts.inputs.append("analysis baseline: \(source) (\(baseline.steps.count) runs)")
        if let configured = baseline.steps.first(where: { $0.maxHeapBytes == nil }) ?? baseline.steps.first, let live = configured.liveBytes {
            facts.liveSet.analysisPhase = Sourced(live, source: "\(source): step \(configured.index) used-heap-size-after-gc")
        }
        for step in baseline.steps {
            charts.sweep.append(
                ChartData.SweepStep(
                    maxHeapBytes: step.maxHeapBytes, effectiveMaxHeapBytes: step.effectiveMaxHeapBytes, wallSeconds: step.wallSeconds,
                    gcTimeFraction: step.gcTimeFraction, result: step.result.rawValue))
        }
        if let floor = baseline.floorBytes { facts.liveSet.sweepFloor = Sourced(floor, source: "\(source): floorBytes") }
        if facts.heap.effectiveMax == nil, let configured = baseline.steps.first(where: { $0.maxHeapBytes == nil }), let max = configured.effectiveMaxHeapBytes {
            facts.heap.effectiveMax = Sourced(max, source: "\(source): step \(configured.index) max-heap-size")
        }
    }

    /// The Bazel binary's identity: its release, or (for a build without one) its own flag list.
    public mutating func addIdentity(_ identity: BazelIdentity, source: String) {
        setRelease(identity.versionText.replacingOccurrences(of: "bazel ", with: ""), source: "\(source): bazel --version")
        if !identity.release.isKnown, let command = identity.probedCommandFlags {
            let names = Array(command.keys) + Array((identity.probedStartupFlags ?? [:]).keys)
            facts.bazel.supportedFlags = Sourced(names.sorted(), source: "\(source): bazel help")
        }
    }

    /// A JSON trace profile: the release, and major-GC time when no GC log gave it.
    public mutating func addProfile(_ profile: TraceProfileSummary) {
        facts.inputs.append("trace profile: \(profile.source)\(profile.partial ? " (partial)" : "")")
        if profile.partial { markPartial("\(profile.source): the profile was cut short") }
        if let version = profile.bazelVersion { setRelease(version, source: "\(profile.source): otherData.bazel_version") }
        if facts.gc.fullGCTimeFraction == nil, let first = profile.firstTimestampMicros, let last = profile.lastTimestampMicros, last > first {
            facts.gc.fullGCTimeFraction = Sourced(
                profile.gcPauses.major.totalMicros / (last - first), source: "\(profile.source): major GC pauses over the profile")
        }
    }

    /// Kernel OOM kills.
    public mutating func addOOMReport(_ report: OOMReport) {
        facts.inputs.append("kernel log: \(report.inputs.joined(separator: ", ")) (\(report.kills.count) OOM kills)")
        if report.isPartial { markPartial("\(report.inputs.joined(separator: ", ")): read only in part") }
        for kill in report.kills {
            if let epoch = kill.time.epochSeconds { charts.oomKillEpochSeconds.append(epoch) }
            facts.oomKills.append(
                OOMKillFact(
                    classification: kill.classification, constraint: kill.constraint, victim: kill.victim?.name, victimRSSBytes: kill.victim?.rssBytes,
                    memcg: kill.memcg, limitBytes: kill.limitBytes, usageBytes: kill.usageBytes, source: kill.location.description))
        }
    }
}
