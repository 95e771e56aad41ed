import HeadroomAnalysis

/// The kernel OOM kills of one kind of process under one constraint, and what that constraint
/// means in words: both OOM rules say it the same way.
package struct OOMKillGroup {
    var constraint: OOMKill.Constraint
    var kills: [OOMKillFact]

    /// Kills classified as `classification`, one group per constraint, cgroup limits first.
    static func groups(_ facts: Facts, of classification: OOMKill.Classification) -> [OOMKillGroup] {
        let order: [OOMKill.Constraint] = [.memcg, .global, .other, .unknown]
        let matching = facts.oomKills.filter { $0.classification == classification }
        return order.compactMap { constraint in
            let kills = matching.filter { $0.constraint == constraint }
            return kills.isEmpty ? nil : OOMKillGroup(constraint: constraint, kills: kills)
        }
    }

    /// `once`, `twice`, `3 times`.
    var times: String {
        switch kills.count {
        case 1: return "once"
        case 2: return "twice"
        default: return "\(kills.count) times"
        }
    }

    /// The cgroup limit the reports name (the largest, if they differ), else the measured one.
    func limit(_ facts: Facts) -> Int64? {
        kills.compactMap(\.limitBytes).max() ?? (constraint == .memcg ? facts.cgroup.limit?.value : nil)
    }

    /// What the kernel's constraint says happened.
    func cause(_ facts: Facts) -> String {
        switch constraint {
        case .memcg:
            let limit = limit(facts).map { " of \(Formatting.bytes($0))" } ?? ""
            return "The kernel killed inside the cgroup because it reached its limit\(limit) (CONSTRAINT_MEMCG)."
        case .global:
            return "The whole machine ran out of memory (CONSTRAINT_NONE, global_oom): it was overcommitted, no cgroup limit was reached, and the victim was picked among everything running."
        case .other:
            return "The memory nodes the process was allowed (a cpuset or memory policy) ran out, not the machine or a cgroup limit."
        case .unknown:
            return "The kernel's report broke off before naming what ran out."
        }
    }

    /// One line per kill: victim, its RSS and cgroup, and the limit and usage at the time.
    var evidence: [Finding.Evidence] {
        kills.map { kill in
            var parts = [kill.victim ?? "unknown process"]
            if let rss = kill.victimRSSBytes { parts.append("RSS \(Formatting.bytes(rss))") }
            if let memcg = kill.memcg { parts.append("in \(memcg)") }
            if let limit = kill.limitBytes { parts.append("limit \(Formatting.bytes(limit))") }
            if let usage = kill.usageBytes { parts.append("usage \(Formatting.bytes(usage))") }
            return Finding.Evidence("OOM kill (\(constraint.rawValue))", parts.joined(separator: ", "), source: kill.source)
        }
    }

    /// A finding about this group: the summary, then the cause, what the kill cost, and what to do.
    func finding(
        rule: String, severity: Finding.Severity, _ facts: Facts, summary: String, cost: String, advice: String, settings: [BazelSetting] = []
    ) -> Finding {
        var evidence = self.evidence
        if let planned = facts.planned.memoryMax { evidence.append(.bytes("planned MemoryMax", planned)) }
        return Finding(
            rule: rule, severity: severity, summary: summary, detail: "\(cause(facts)) \(cost) \(advice)", evidence: evidence, settings: settings)
    }
}
