import HeadroomAnalysis

/// Sizes `MemoryMax`/`MemoryHigh` for the server and its tests, and lowers test concurrency when
/// that does not fit the machine.
public struct CgroupMemoryMaxRule: Rule {
    public static let description = RuleDescription(
        identifier: "cgroup.memory-max",
        title: "The memory limit the server and its tests need",
        rationale: """
            A limit makes the kernel throttle and then kill inside the build's own cgroup instead of \
            letting the build take the whole machine. The limit comes from one memory model \
            (`MemoryModel`): the need is the server — its heap (the planned one, else the configured or \
            effective `-Xmx`, since the heap may grow to it) plus its non-heap memory (measured, else the \
            default measured on Bazel servers), or its measured RSS peak if larger — plus the tests' \
            measured peak. `MemoryHigh` is the need; `MemoryMax` is the need × 1.15 (the margin the \
            Kubernetes VPA recommender puts on its target), but never below the measured peak of server \
            and tests × 1.15, nor below a limit that was seen to kill (bumped as the VPA does: max(+100 \
            MiB, ×1.2)) or under which Bazel ran out of heap; all rounded up to 64 MiB. \
            `MemorySwapMax=0` keeps swap from hiding overuse. Headroom keeps 10 % of host RAM for the \
            kernel, other processes and page cache, so a limit above 90 % of RAM is capped there (never \
            below the measured floor) and the tests get what is left: `--local_test_jobs` = (the limit \
            ÷ 1.15 − server) ÷ the memory one test used, and the same budget as Bazel's local RAM \
            (`--local_resources=memory=` from 7.1, else `--local_ram_resources`, removed in 9.0). Silent \
            when no heap size is known.
            """,
        stage: .limits,
        triggeringExamples: [
            RuleExample("4 GiB heap, 2 GiB of tests, a large machine", expecting: ["MemoryMax=7360M", "MemoryHigh=6400M", "MemorySwapMax=0"]) {
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
                "9.0: too much for 16 GiB, 8 tests of 1 GiB", expecting: ["MemoryMax=14720M", "MemoryHigh=12800M", "--local_test_jobs=4", "--local_resources=memory=4352"],
                rejecting: ["local_ram_resources"]
            ) {
                $0.bazel.release = "9.0.0"
                $0.planned.maxHeap = .gib(8)
                $0.cgroup.testsPeak = .gib(8)
                $0.flags.localTestJobs = 8
                $0.host.memory = .gib(16)
            },
            RuleExample(
                "6.4: too much for 16 GiB, 4 jobs of 2 GiB", expecting: ["--local_test_jobs=2", "--local_ram_resources=4352"],
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

    /// Share of host RAM a limit may take; the rest stays with the kernel, other processes and page cache.
    package static let usableShareOfRAM = 0.9

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        guard let model = MemoryModel(facts) else { return [] }
        var evidence: [Finding.Evidence] = [
            .bytes("maximum heap", model.heap),
            Finding.Evidence(
                "non-heap memory", Formatting.bytes(model.nonHeap),
                source: model.nonHeapMeasured ? facts.server.nonHeapOverhead?.source ?? "measured" : "default: Bazel servers measured by Headroom"),
        ]
        if let rss = model.serverRSSPeak { evidence.append(.bytes("server RSS peak", rss)) }
        if let tests = model.tests { evidence.append(.bytes("tests' peak", tests)) }
        if let peak = model.measuredPeak { evidence.append(.bytes("measured peak of server + tests", peak)) }
        if let oom = model.oomFloor { evidence.append(Finding.Evidence("OOM floor", Formatting.bytes(oom.bytes), source: oom.basis)) }
        guard let ram = facts.host.memory else { return [fitting(model, evidence: evidence)] }
        evidence.append(.bytes("host RAM", ram))
        let usable = Int64(Double(ram.value) * Self.usableShareOfRAM)
        if model.memoryMax <= usable { return [fitting(model, evidence: evidence)] }
        return [capped(facts, model: model, usable: usable, evidence: evidence)]
    }

    private func fitting(_ model: MemoryModel, evidence: [Finding.Evidence]) -> Finding {
        let limits = CgroupLimits(memoryMaxBytes: model.memoryMax, memoryHighBytes: model.memoryHigh, basis: model.basis)
        var detail = "\(model.basis). MemoryHigh is the need, where the kernel starts to throttle and reclaim; MemoryMax adds 15 % (the VPA recommender's margin) before it kills."
        if model.memoryMax > model.needLimit {
            detail += " The limit rests on what was measured, not on the need alone: a limit below it was seen to be too small, or the command was seen to use more."
        }
        if model.tests == nil { detail += " The tests were not measured: record the command (headroom record) so the limit covers them." }
        return Finding(
            rule: Self.description.identifier, severity: .advice,
            summary: "Run the server and its tests under \(limits.description): they need \(Formatting.bytes(model.need)).",
            detail: detail, evidence: evidence, cgroup: limits)
    }

    /// The limit capped at 90 % of RAM, with test concurrency and Bazel's RAM budget cut to fit under it.
    private func capped(_ facts: Facts, model: MemoryModel, usable: Int64, evidence measured: [Finding.Evidence]) -> Finding {
        var evidence = measured
        let server = model.server
        let need = model.need
        let basis = model.basis
        let step = MemoryModel.roundingStep
        // Never below what was measured to be needed: a machine too small for that gets the
        // measured floor and a warning, not a limit that is known to kill.
        let memoryMax = max(usable / step * step, model.floor)
        let fitNeed = Int64(Double(memoryMax) / MemoryModel.margin)
        let testBudget = fitNeed - server
        let limits = CgroupLimits(
            memoryMaxBytes: memoryMax, memoryHighBytes: fitNeed / step * step,
            basis: model.floor > usable
                ? "the measured floor \(Formatting.bytes(model.floor)) (\(basis)), above 90 % of host RAM; MemoryHigh = that ÷ \(HeapSizing.format(MemoryModel.margin))"
                : "90 % of host RAM \(Formatting.bytes(usable)), rounded down to 64 MiB; MemoryHigh = that ÷ \(HeapSizing.format(MemoryModel.margin))")
        var settings: [BazelSetting] = []
        var detail = "Need: \(basis); with the 15 % margin that is more than the \(Formatting.bytes(usable)) Headroom leaves usable (90 % of RAM; the rest is for the kernel, other processes and page cache). "
        guard testBudget > 0 else {
            detail += "The server alone needs \(Formatting.bytes(server)), more than the \(Formatting.bytes(fitNeed)) that fits under the limit: lower the heap, or run tests one at a time on a larger machine."
            settings.append(.value(.test, "local_test_jobs", "1", reason: "the server alone fills the limit"))
            return finding(limits, need: need, summaryTail: "the server alone needs \(Formatting.bytes(server))", detail: detail, evidence: evidence, settings: settings)
        }
        detail += "Tests get \(Formatting.bytes(usable)) ÷ \(HeapSizing.format(MemoryModel.margin)) − server \(Formatting.bytes(server)) = \(Formatting.bytes(testBudget))"
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
