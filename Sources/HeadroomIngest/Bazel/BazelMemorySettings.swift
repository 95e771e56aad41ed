import HeadroomCore

/// The memory-related settings an rc chain gives one Bazel command, each with the file and line
/// that set it (the last occurrence wins, as in Bazel). Nil means the rc files leave it at
/// Bazel's default.
public struct BazelMemorySettings: Sendable, Equatable {
    /// `-Xmx` or `-XX:MaxHeapSize=` from `startup --host_jvm_args`, in bytes.
    public var maxHeapBytes: RcSetting<Int64>?
    /// `-XX:MaxRAMPercentage=` from `startup --host_jvm_args`.
    public var maxRAMPercentage: RcSetting<Double>?
    public var jobs: RcSetting<ResourceAmount>?
    public var localTestJobs: RcSetting<ResourceAmount>?
    /// `--local_ram_resources`, in MB (removed in Bazel 9.0).
    public var localRAMResources: RcSetting<ResourceAmount>?
    /// `--local_cpu_resources` (removed in Bazel 9.0).
    public var localCPUResources: RcSetting<ResourceAmount>?
    /// `--local_resources=NAME=AMOUNT` by resource name (`memory` in MB, `cpu`), Bazel 7.1+.
    public var localResources: [String: RcSetting<ResourceAmount>]
    public var remoteExecutor: RcSetting<String>?
    public var remoteCache: RcSetting<String>?
    public var diskCache: RcSetting<String>?
    public var remoteMerkleTreeCache: RcSetting<Bool>?
    public var remoteMerkleTreeCacheSize: RcSetting<Int64>?
    public var remoteDiscardMerkleTrees: RcSetting<Bool>?
    public var discardAnalysisCache: RcSetting<Bool>?
    public var keepStateAfterBuild: RcSetting<Bool>?
    public var trackIncrementalState: RcSetting<Bool>?
    public var heapDumpOnOOM: RcSetting<Bool>?
    /// `--gc_thrashing_threshold` (7.0+) or its earlier name `--experimental_oom_more_eagerly_threshold`;
    /// 100 turns it off. `flag` tells which name was used.
    public var gcThrashingThreshold: RcSetting<Int>?
    /// `startup --max_idle_secs`.
    public var maxIdleSeconds: RcSetting<Int>?
    /// `startup --shutdown_on_low_sys_mem` (6.0+).
    public var shutdownOnLowSystemMemory: RcSetting<Bool>?
    /// Options that name a setting above but whose value could not be read, for a warning.
    public var unreadable: [RcOption]

    public init() {
        localResources = [:]
        unreadable = []
    }

    /// The settings for `command` with the command line's `configs`.
    public init(chain: BazelrcChain, command: String = "build", configs: [String] = []) throws {
        self.init(startupOptions: chain.startupOptions, commandOptions: try chain.effectiveOptions(command: command, configs: configs))
    }

    public init(startupOptions: [RcOption], commandOptions: [RcOption]) {
        self.init()
        for option in startupOptions {
            switch option.name {
            case "host_jvm_args": readJVMArgument(option)
            case "max_idle_secs":
                if let seconds = option.value.flatMap({ Int($0) }) {
                    maxIdleSeconds = RcSetting(value: seconds, flag: option.name, text: option.value ?? "", location: option.location)
                } else {
                    unreadable.append(option)
                }
            case "shutdown_on_low_sys_mem":
                if let on = option.boolValue {
                    shutdownOnLowSystemMemory = RcSetting(value: on, flag: option.name, text: option.value ?? "true", location: option.location)
                } else {
                    unreadable.append(option)
                }
            default: break
            }
        }
        for option in commandOptions { read(option) }
    }

    private mutating func readJVMArgument(_ option: RcOption) {
        guard let argument = option.value else { return }
        if argument.hasPrefix("-Xmx") || argument.hasPrefix("-XX:MaxHeapSize=") {
            let text = argument.hasPrefix("-Xmx") ? String(argument.dropFirst(4)) : String(argument.dropFirst(16))
            if let bytes = Self.jvmSize(text) {
                maxHeapBytes = RcSetting(value: bytes, flag: option.name, text: argument, location: option.location)
            } else {
                unreadable.append(option)
            }
        } else if argument.hasPrefix("-XX:MaxRAMPercentage=") {
            if let percent = Double(argument.dropFirst(21)) {
                maxRAMPercentage = RcSetting(value: percent, flag: option.name, text: argument, location: option.location)
            } else {
                unreadable.append(option)
            }
        }
    }

    private mutating func read(_ option: RcOption) {
        func text() -> String { option.value ?? "" }
        func setting<V>(_ value: V?) -> RcSetting<V>? {
            guard let value else {
                unreadable.append(option)
                return nil
            }
            return RcSetting(value: value, flag: option.name, text: option.value ?? "", location: option.location)
        }
        func keepOld<V>(_ new: RcSetting<V>?, _ old: RcSetting<V>?) -> RcSetting<V>? { new ?? old }
        switch option.name {
        case "jobs": jobs = keepOld(setting(option.value.map(ResourceAmount.init)), jobs)
        case "local_test_jobs": localTestJobs = keepOld(setting(option.value.map(ResourceAmount.init)), localTestJobs)
        case "local_ram_resources": localRAMResources = keepOld(setting(option.value.map(ResourceAmount.init)), localRAMResources)
        case "local_cpu_resources": localCPUResources = keepOld(setting(option.value.map(ResourceAmount.init)), localCPUResources)
        case "local_resources":
            let parts = text().split(separator: "=", maxSplits: 1)
            guard parts.count == 2 else {
                unreadable.append(option)
                return
            }
            localResources[String(parts[0])] = RcSetting(
                value: ResourceAmount(String(parts[1])), flag: option.name, text: text(), location: option.location)
        case "remote_executor": remoteExecutor = RcSetting(value: text(), flag: option.name, text: text(), location: option.location)
        case "remote_cache": remoteCache = RcSetting(value: text(), flag: option.name, text: text(), location: option.location)
        case "disk_cache": diskCache = RcSetting(value: text(), flag: option.name, text: text(), location: option.location)
        case "experimental_remote_merkle_tree_cache": remoteMerkleTreeCache = keepOld(setting(option.boolValue), remoteMerkleTreeCache)
        case "experimental_remote_merkle_tree_cache_size":
            remoteMerkleTreeCacheSize = keepOld(setting(option.value.flatMap { Int64($0) }), remoteMerkleTreeCacheSize)
        case "experimental_remote_discard_merkle_trees": remoteDiscardMerkleTrees = keepOld(setting(option.boolValue), remoteDiscardMerkleTrees)
        case "discard_analysis_cache": discardAnalysisCache = keepOld(setting(option.boolValue), discardAnalysisCache)
        case "keep_state_after_build": keepStateAfterBuild = keepOld(setting(option.boolValue), keepStateAfterBuild)
        case "track_incremental_state": trackIncrementalState = keepOld(setting(option.boolValue), trackIncrementalState)
        case "heap_dump_on_oom": heapDumpOnOOM = keepOld(setting(option.boolValue), heapDumpOnOOM)
        case "gc_thrashing_threshold", "experimental_oom_more_eagerly_threshold":
            gcThrashingThreshold = keepOld(setting(option.value.flatMap { Int($0) }), gcThrashingThreshold)
        default: break
        }
    }

    /// A JVM memory size (`8g`, `8192m`, `512K`, `1073741824`) in bytes.
    package static func jvmSize(_ text: String) -> Int64? {
        guard let last = text.last else { return nil }
        let multiplier: Int64
        var digits = Substring(text)
        switch last {
        case "k", "K": multiplier = 1 << 10
        case "m", "M": multiplier = 1 << 20
        case "g", "G": multiplier = 1 << 30
        case "t", "T": multiplier = 1 << 40
        default: multiplier = 1
        }
        if multiplier != 1 { digits = digits.dropLast() }
        guard let number = Int64(digits), number >= 0 else { return nil }
        let (product, overflow) = number.multipliedReportingOverflow(by: multiplier)
        return overflow ? nil : product
    }
}
