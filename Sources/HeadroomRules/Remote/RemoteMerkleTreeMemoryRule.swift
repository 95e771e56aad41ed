import Foundation
import HeadroomAnalysis

/// Flags remote execution whose input trees may fill the heap, and names the release's flags
/// that share or drop them.
public struct RemoteMerkleTreeMemoryRule: Rule {
    public static let description = RuleDescription(
        identifier: "remote.merkle-tree-memory",
        title: "Remote actions' input trees may fill the heap",
        rationale: """
            For every remote action Bazel builds a merkle tree of its inputs, and holds it while the \
            action is in flight: with many jobs this can dwarf the analysis graph. jmmv measured a \
            server at about 13 GB that fit in under 4 GB once `--experimental_remote_merkle_tree_cache` \
            shared the trees between actions. Fires with a remote executor set, many jobs (at least \
            2× the host's CPUs, or at least 32 when the CPUs are unknown; Bazel's default is one job \
            per CPU, so more means remote execution is being fed on purpose) and, when both live \
            figures are known, a peak live set at least 2× the live set after analysis (the \
            execution phase holds as much again as the whole graph). Advises, by release: `--experimental_remote_discard_merkle_trees` \
            (6.1+, the default from 8.0) and `--experimental_remote_merkle_tree_cache` (5.0–8.x), \
            keeping its size at the default 1000 or above: a cache too small for the build keeps \
            rebuilding trees and thrashes (bazel #18686). Both cache flags are gone from 9.0, where \
            the rule only says so.
            """,
        triggeringExamples: [
            RuleExample(
                "the 13 GB story on 6.4: 200 jobs, 13 GiB against 500 MiB of analysis",
                expecting: ["200 jobs", "--experimental_remote_discard_merkle_trees", "--experimental_remote_merkle_tree_cache", "26.6×"]
            ) {
                $0.flags.remoteExecutor = "grpc://x"
                $0.flags.jobs = 200
                $0.host.cpus = 16
                $0.liveSet.analysisPhase = .mib(500)
                $0.liveSet.peak = .gib(13)
                $0.bazel.release = "6.4.0"
            },
            RuleExample("8.0 already discards trees: only the cache", expecting: ["64 jobs", "--experimental_remote_merkle_tree_cache"], rejecting: ["discard_merkle"]) {
                $0.flags.remoteExecutor = "grpc://x"
                $0.flags.jobs = 64
                $0.bazel.release = "8.0.0"
            },
            RuleExample("9.0 has neither flag", expecting: ["9.0", "no merkle-tree flag applies"], rejecting: ["merkle_tree_cache", "discard_merkle"]) {
                $0.flags.remoteExecutor = "grpc://x"
                $0.flags.jobs = 100
                $0.host.cpus = 8
                $0.bazel.release = "9.0.0"
            },
        ],
        nonTriggeringExamples: [
            RuleExample("local execution, many jobs") {
                $0.flags.jobs = 200
                $0.host.cpus = 16
            },
            RuleExample("remote executor switched off again") {
                $0.flags.remoteExecutor = ""
                $0.flags.jobs = 200
            },
            RuleExample("remote, one job per CPU, execution adds little") {
                $0.flags.remoteExecutor = "grpc://x"
                $0.host.cpus = 16
                $0.liveSet.analysisPhase = .gib(1)
                $0.liveSet.peak = .gib(1.3)
            },
            RuleExample("many remote jobs, but execution holds little beyond analysis") {
                $0.flags.remoteExecutor = "grpc://x"
                $0.flags.jobs = 200
                $0.host.cpus = 16
                $0.liveSet.analysisPhase = .gib(1)
                $0.liveSet.peak = .gib(1.3)
                $0.bazel.release = "6.4.0"
            },
            RuleExample("both flags already on") {
                $0.flags.remoteExecutor = "grpc://x"
                $0.flags.jobs = 200
                $0.flags.merkleTreeCache = true
                $0.flags.discardMerkleTrees = true
                $0.bazel.release = "7.1.0"
            },
        ])

    /// "Many jobs": at least this many times the host's CPUs (Bazel's default is one per CPU).
    static let manyJobsPerCPU = 2
    /// "Many jobs" when the CPUs are unknown.
    static let manyJobsWithoutCPUs = 32
    /// The peak live set at least this many times the live set after analysis.
    static let executionGrowthRatio = 2.0
    /// The cache flag, whose removal the rule reports.
    static let cacheFlag = "experimental_remote_merkle_tree_cache"

    public init() {}

    public func evaluate(_ facts: Facts) -> [Finding] {
        guard let executor = facts.remoteExecutor else { return [] }
        var reasons: [String] = []
        var evidence: [Finding.Evidence] = [.value("remote executor", executor)]
        // Many jobs are required; the execution-phase growth too, when both live figures are known.
        guard let jobs = facts.jobs else { return [] }
        let cpus = facts.host.cpus
        let threshold = cpus.map { $0.value * Self.manyJobsPerCPU } ?? Self.manyJobsWithoutCPUs
        guard jobs.value >= threshold else { return [] }
        reasons.append("\(jobs.value) jobs" + (cpus.map { ", \(String(format: "%.1f", Double(jobs.value) / Double($0.value)))× the \($0.value) CPUs" } ?? ""))
        evidence.append(.value("jobs", jobs))
        if let cpus { evidence.append(.value("host CPUs", cpus)) }
        if let analysis = facts.liveSet.analysisPhase, let peak = facts.liveSet.peak, analysis.value > 0 {
            guard Double(peak.value) >= Self.executionGrowthRatio * Double(analysis.value) else { return [] }
            reasons.append("a peak live set of \(Formatting.bytes(peak.value)), \(String(format: "%.1f", Double(peak.value) / Double(analysis.value)))× the \(Formatting.bytes(analysis.value)) after analysis")
            evidence += [.bytes("peak live set", peak), .bytes("live set after analysis", analysis)]
        }
        if let release = facts.bazel.release { evidence.append(.value("Bazel release", release)) }
        let why = reasons.joined(separator: " and ")
        let reason = "remote execution with \(why): input trees held per action"
        let settings = [
            MemoryFlagSettings.discardMerkleTrees(facts, reason: reason),
            MemoryFlagSettings.merkleTreeCache(facts, reason: reason + "; keep its size at the default 1000 or more (bazel #18686)"),
        ].compactMap { $0 }
        if settings.isEmpty {
            guard case .removed(let since) = BazelFlagTable.availability(of: Self.cacheFlag, in: facts.bazel.parsedRelease) else { return [] }
            return [
                Finding(
                    rule: Self.description.identifier, severity: .info,
                    summary: "Remote execution with \(why), but Bazel \(since) removed the merkle-tree cache flags: no merkle-tree flag applies.",
                    detail: "From \(since) on, the cache flags are gone and discarding each input tree after upload is already the default, "
                        + "so the input trees of in-flight actions cannot be trimmed by a flag. If they still weigh, lower the jobs.",
                    evidence: evidence)
            ]
        }
        return [
            Finding(
                rule: Self.description.identifier, severity: .advice,
                summary: "Remote execution with \(why): set \(settings.map(\.argument).joined(separator: " and ")) so input trees do not fill the heap.",
                detail: "Bazel builds a merkle tree of every remote action's inputs and holds it while the action is in flight; jmmv saw a server "
                    + "go from about 13 GB to under 4 GB once the trees were cached and shared. A cache smaller than the build's trees "
                    + "rebuilds them again and again (bazel #18686): keep the cache size at its default of 1000 or raise it.",
                evidence: evidence, settings: settings)
        ]
    }
}
