import HeadroomAnalysis

/// Sizes `MemoryMax`/`MemoryHigh` for the server and its tests, and lowers test concurrency when
/// that does not fit the machine.
public struct CgroupMemoryMaxRule: Rule {
    public static let description = RuleDescription(
        identifier: "cgroup.memory-max",
        title: "The memory limit the server and its tests need",
        rationale: """
            A limit makes the kernel throttle and then kill inside the build's own cgroup instead of \
            letting the build take the whole machine. The server needs its heap (the planned one, else \
            the configured or effective `-Xmx`) plus its non-heap memory (measured RSS − committed heap, \
            else 640 MiB after the Paketo memory calculator), or its measured RSS peak if that is larger; \
            the tests need their measured peak. `MemoryHigh` is that need and `MemoryMax` the need × 1.15, \
            the margin the Kubernetes VPA recommender puts on its target; both are rounded up to 64 MiB. \
            `MemorySwapMax=0` keeps swap from hiding overuse. Headroom keeps 10 % of host RAM for the \
            kernel, other processes and page cache, so a limit above 90 % of RAM is capped there and the \
            tests get what is left: `--local_test_jobs` = (90 % of RAM ÷ 1.15 − server) ÷ the memory one \
            test used, and the same budget as Bazel's local RAM (`--local_resources=memory=` from 7.1, \
            else `--local_ram_resources`, removed in 9.0). Silent when no heap size is known.
            """,
        stage: .limits,
        triggeringExamples: [
            RuleExample("4 GiB heap, 2 GiB of tests, a large machine", expecting: ["MemoryMax=7808M", "MemoryHigh=6784M", "MemorySwapMax=0"]) {
                $0.planned.maxHeap = .gib(4)
                $0.cgroup.testsPeak = .gib(2)
                $0.host.memory = .gib(32)
            },
            RuleExample("measured RSS above heap + estimate", expecting: ["MemoryMax=4736M", "MemoryHigh=4G", "3.00 GiB"]) {
                $0.heap.configuredMax = .gib(2)
                $0.server.rssPeak = .gib(3)
                $0.cgroup.testsPeak = .gib(1)
            },
            RuleExample(
                "9.0: too much for 16 GiB, 8 tests of 1 GiB", expecting: ["MemoryMax=14720M", "MemoryHigh=12800M", "--local_test_jobs=3", "--local_resources=memory=3990"],
                rejecting: ["local_ram_resources"]
            ) {
                $0.bazel.release = "9.0.0"
                $0.planned.maxHeap = .gib(8)
                $0.cgroup.testsPeak = .gib(8)
                $0.flags.localTestJobs = 8
                $0.host.memory = .gib(16)
            },
            RuleExample(
                "6.4: too much for 16 GiB, 4 jobs of 2 GiB", expecting: ["--local_test_jobs=1", "--local_ram_resources=3990"],
                rejecting: ["local_resources=memory"]
            ) {
                $0.bazel.release = "6.4.0"
                $0.heap.effectiveMax = .gib(8)
                $0.cgroup.testsPeak = .gib(8)
                $0.flags.jobs = 4
                $0.host.memory = .gib(16)
            },
        ],
        nonTriggeringExamples: [
            RuleExample("no heap size known") {
                $0.server.rssPeak = .gib(3)
                $0.cgroup.testsPeak = .gib(2)
                $0.host.memory = .gib(32)
            },
            RuleExample("nothing measured") { _ in },
        ])

    /// `MemoryMax` over the need: the VPA recommender's margin on its target (P90 × 1.15).
    package static let maxMargin = 1.15
    /// Limits round up to this step.
    package static let roundingStep: Int64 = 64 * ByteSize.mib
    /// Share of host RAM a limit may take; the rest stays with the kernel, other processes and page cache.
    package static let usableShareOfRAM = 0.9

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        guard let heap = facts.planned.maxHeap ?? facts.heap.max else { return [] }
        let overhead = HeapSizing.nonHeapOverhead(facts)
        var server = heap.value + overhead.bytes
        var serverBasis = "heap \(Formatting.bytes(heap.value)) + non-heap \(Formatting.bytes(overhead.bytes))\(overhead.measured ? "" : " (estimated)")"
        var evidence: [Finding.Evidence] = [
            .bytes("maximum heap", heap),
            Finding.Evidence("non-heap memory", Formatting.bytes(overhead.bytes), source: overhead.measured ? facts.server.nonHeapOverhead?.source ?? "measured" : "estimate"),
        ]
        if let rss = facts.server.rssPeak {
            evidence.append(.bytes("server RSS peak", rss))
            if rss.value > server {
                server = rss.value
                serverBasis = "measured RSS peak \(Formatting.bytes(rss.value)), above \(serverBasis)"
            }
        }
        let tests = facts.cgroup.testsPeak?.value ?? 0
        if let testsPeak = facts.cgroup.testsPeak { evidence.append(.bytes("tests' peak", testsPeak)) }
        let need = server + tests
        let testsText = facts.cgroup.testsPeak == nil ? "tests not measured (add their peak)" : "tests \(Formatting.bytes(tests))"
        let basis = "server \(Formatting.bytes(server)) (\(serverBasis)) + \(testsText) = \(Formatting.bytes(need))"
        let memoryMax = ByteSize.roundUp(Int64(Double(need) * Self.maxMargin), to: Self.roundingStep)
        let memoryHigh = ByteSize.roundUp(need, to: Self.roundingStep)

        guard let ram = facts.host.memory else { return [fitting(memoryMax, memoryHigh, need: need, basis: basis, evidence: evidence)] }
        evidence.append(.bytes("host RAM", ram))
        let usable = Int64(Double(ram.value) * Self.usableShareOfRAM)
        if memoryMax <= usable { return [fitting(memoryMax, memoryHigh, need: need, basis: basis, evidence: evidence)] }
        return [capped(facts, server: server, usable: usable, need: need, basis: basis, evidence: evidence)]
    }

    private func fitting(_ memoryMax: Int64, _ memoryHigh: Int64, need: Int64, basis: String, evidence: [Finding.Evidence]) -> Finding {
        let limits = CgroupLimits(
            memoryMaxBytes: memoryMax, memoryHighBytes: memoryHigh, basis: "\(basis); MemoryMax = need × \(HeapSizing.format(Self.maxMargin))")
        return Finding(
            rule: Self.description.identifier, severity: .advice,
            summary: "Run the server and its tests under \(limits.description): they need \(Formatting.bytes(need)).",
            detail: "Need: \(basis). MemoryHigh is the need, where the kernel starts to throttle and reclaim; MemoryMax adds 15 % (the VPA recommender's margin) before it kills; both round up to 64 MiB.",
            evidence: evidence, cgroup: limits)
    }

    /// The limit capped at 90 % of RAM, with test concurrency and Bazel's RAM budget cut to fit under it.
    private func capped(_ facts: Facts, server: Int64, usable: Int64, need: Int64, basis: String, evidence measured: [Finding.Evidence]) -> Finding {
        var evidence = measured
        let memoryMax = usable / Self.roundingStep * Self.roundingStep
        let fitNeed = Int64(Double(usable) / Self.maxMargin)
        let testBudget = fitNeed - server
        let limits = CgroupLimits(
            memoryMaxBytes: memoryMax, memoryHighBytes: fitNeed / Self.roundingStep * Self.roundingStep,
            basis: "90 % of host RAM \(Formatting.bytes(usable)), rounded down to 64 MiB; MemoryHigh = that ÷ \(HeapSizing.format(Self.maxMargin))")
        var settings: [BazelSetting] = []
        var detail = "Need: \(basis); with the 15 % margin that is more than the \(Formatting.bytes(usable)) Headroom leaves usable (90 % of RAM; the rest is for the kernel, other processes and page cache). "
        guard testBudget > 0 else {
            detail += "The server alone needs \(Formatting.bytes(server)), more than the \(Formatting.bytes(fitNeed)) that fits under the limit: lower the heap, or run tests one at a time on a larger machine."
            settings.append(.value(.test, "local_test_jobs", "1", reason: "the server alone fills the limit"))
            return finding(limits, need: need, summaryTail: "the server alone needs \(Formatting.bytes(server))", detail: detail, evidence: evidence, settings: settings)
        }
        detail += "Tests get \(Formatting.bytes(usable)) ÷ \(HeapSizing.format(Self.maxMargin)) − server \(Formatting.bytes(server)) = \(Formatting.bytes(testBudget))"
        if let tests = facts.cgroup.testsPeak, tests.value > 0 {
            let jobs = LocalConcurrency.testJobs(facts)
            if let jobs { evidence.append(.value("tests at once", jobs)) }
            let running = jobs?.value ?? 1
            let perTest = tests.value / Int64(running)
            let fitting = max(1, Int(testBudget / max(perTest, 1)))
            detail += "; \(running) tests at once used \(Formatting.bytes(tests.value)), \(Formatting.bytes(perTest)) each, so \(fitting) fit"
            settings.append(.value(.test, "local_test_jobs", "\(fitting)", reason: "\(Formatting.bytes(testBudget)) for tests ÷ \(Formatting.bytes(perTest)) per test"))
        }
        detail += ". Bazel's local RAM budget is set to the same figure, so it schedules actions within it."
        let megabytes = testBudget / ByteSize.mib
        if let flag = FlagSupport(facts).firstAvailable(["local_resources", "local_ram_resources"]) {
            let value = flag == "local_resources" ? "memory=\(megabytes)" : "\(megabytes)"
            settings.append(.value(.build, flag, value, reason: "\(Formatting.bytes(testBudget)) left for tests and actions under the limit"))
        }
        return finding(limits, need: need, summaryTail: "tests must fit in \(Formatting.bytes(testBudget))", detail: detail, evidence: evidence, settings: settings)
    }

    private func finding(
        _ limits: CgroupLimits, need: Int64, summaryTail: String, detail: String, evidence: [Finding.Evidence], settings: [BazelSetting]
    ) -> Finding {
        Finding(
            rule: Self.description.identifier, severity: .warning,
            summary: "The server and its tests need \(Formatting.bytes(need)), more than this machine can give: \(limits.description); \(summaryTail).",
            detail: detail, evidence: evidence, settings: settings, cgroup: limits)
    }
}
