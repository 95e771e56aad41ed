import HeadroomAnalysis

/// Flags a workstation server that keeps a large heap while idle, and names the startup options
/// that let it go.
public struct WorkstationIdleServerRule: Rule {
    public static let description = RuleDescription(
        identifier: "workstation.idle-server",
        title: "An idle server keeps its memory on a workstation",
        rationale: """
            A Bazel server stays up after its last command for `--max_idle_secs` (default 10800, \
            three hours) and keeps its heap all that time. On a workstation, where that memory is \
            wanted by the editor and the browser, this rule advises two startup options. \
            `--shutdown_on_low_sys_mem` (6.0+) shuts an idle server down when the system runs low \
            on memory; advised only when the release is known to have it. `--max_idle_secs=3600` (an \
            hour: Headroom's choice, long enough to span a meeting) when the maximum heap is at \
            least 25 % of the host's RAM (the JVM's default `MaxRAMPercentage`, so any heap set \
            above the default) and the idle time is longer than an hour or unlimited (0). Quiet in CI, \
            where the job ends the server.
            """,
        triggeringExamples: [
            RuleExample("an 8g heap on a 16 GiB laptop, 7.1", expecting: ["startup --shutdown_on_low_sys_mem", "startup --max_idle_secs=3600", "50.0 %"]) {
                $0.heap.configuredMax = .gib(8)
                $0.host.memory = .gib(16)
                $0.bazel.release = "7.1.0"
            },
            RuleExample("5.4 lacks the low-memory shutdown", expecting: ["--max_idle_secs=3600", "10800"], rejecting: ["shutdown_on_low_sys_mem"]) {
                $0.context = Sourced(.workstation, source: "example")
                $0.heap.effectiveMax = .gib(4)
                $0.host.memory = .gib(16)
                $0.flags.maxIdleSeconds = 10800
                $0.bazel.release = "5.4.0"
            },
            RuleExample("a small heap: only the low-memory shutdown", expecting: ["--shutdown_on_low_sys_mem"], rejecting: ["max_idle_secs="]) {
                $0.heap.configuredMax = .gib(2)
                $0.host.memory = .gib(32)
                $0.bazel.release = "8.0.0"
            },
        ],
        nonTriggeringExamples: [
            RuleExample("CI ends the server with the job") {
                $0.context = Sourced(.ci, source: "example")
                $0.heap.configuredMax = .gib(8)
                $0.host.memory = .gib(16)
                $0.bazel.release = "7.1.0"
            },
            RuleExample("both already set") {
                $0.heap.configuredMax = .gib(8)
                $0.host.memory = .gib(16)
                $0.flags.maxIdleSeconds = 1800
                $0.flags.shutdownOnLowSystemMemory = true
                $0.bazel.release = "7.1.0"
            },
            RuleExample("release unknown and a small heap") {
                $0.heap.configuredMax = .gib(2)
                $0.host.memory = .gib(32)
            },
        ])

    /// The JVM's default `MaxRAMPercentage`: a heap at least this share of RAM was set large on purpose.
    static let largeHeapFraction = 0.25
    /// The idle time to advise, in seconds.
    static let advisedIdleSeconds = 3600
    /// Bazel's default `--max_idle_secs`.
    static let defaultIdleSeconds = 10800

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        guard facts.context.value == .workstation else { return [] }
        let support = FlagSupport(facts)
        var settings: [BazelSetting] = []
        var reasons: [String] = []
        var evidence: [Finding.Evidence] = [.value("context", facts.context)]
        if let shutdown = facts.flags.shutdownOnLowSystemMemory { evidence.append(.value("shutdown_on_low_sys_mem", shutdown)) }
        if support.has("shutdown_on_low_sys_mem") == true, facts.flags.shutdownOnLowSystemMemory?.value != true {
            settings.append(.boolean(.startup, "shutdown_on_low_sys_mem", true, reason: "an idle server gives its memory back when the system runs low"))
            reasons.append("the server is not shut down when the system runs low on memory")
        }
        if let heap = facts.heap.max, let memory = facts.host.memory, memory.value > 0,
            Double(heap.value) >= Self.largeHeapFraction * Double(memory.value), support.mayHave("max_idle_secs")
        {
            let idle = facts.flags.maxIdleSeconds?.value ?? Self.defaultIdleSeconds
            // 0 keeps the server forever.
            if idle == 0 || idle > Self.advisedIdleSeconds {
                let share = Formatting.percent(Double(heap.value) / Double(memory.value))
                settings.append(
                    .value(.startup, "max_idle_secs", String(Self.advisedIdleSeconds), reason: "a \(ByteSize.jvmArgument(heap.value)) heap is \(share) of RAM"))
                reasons.append(
                    "its \(ByteSize.jvmArgument(heap.value)) heap, \(share) of the \(Formatting.bytes(memory.value)) of RAM, stays \(idle == 0 ? "forever" : "\(idle) s") after the last command")
                evidence += [.bytes("maximum heap", heap), .bytes("host RAM", memory)]
                if let configured = facts.flags.maxIdleSeconds { evidence.append(.value("max_idle_secs", configured)) }
            }
        }
        guard !settings.isEmpty else { return [] }
        if let release = facts.bazel.release { evidence.append(.value("Bazel release", release)) }
        return [
            Finding(
                rule: Self.description.identifier, severity: .advice,
                summary: "An idle server keeps its memory: \(reasons.joined(separator: "; ")); set \(settings.map(\.rcLine).joined(separator: " and ")).",
                detail: "A Bazel server outlives its command by its idle time (default \(Self.defaultIdleSeconds) s) and holds its heap while idle; "
                    + "on a workstation that memory is wanted elsewhere, and restarting the server costs only the next command's analysis.",
                evidence: evidence, settings: settings)
        ]
    }
}
